// Preloaded into the server under test (node --expose-gc --import): answers memory questions from
// the benchmark over the IPC channel without touching the server's code.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message) => {
  if (!message || typeof message !== 'object' || typeof message.id !== 'number') return;
  if (message.type === 'memory') {
    // Two full collections so the figures are live objects, not garbage awaiting collection.
    globalThis.gc?.();
    globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    process.send?.({ id: message.id, result: { rss, heapUsed, heapTotal, external, arrayBuffers, handles: process.getActiveResourcesInfo().length } });
  } else if (message.type === 'heap-snapshot') {
    // For the memory scenario's per-reader census (bench/lib/heap-census.ts reads the file).
    globalThis.gc?.();
    import('node:v8').then((v8) => process.send?.({ id: message.id, result: v8.writeHeapSnapshot(message.path) }));
  } else if (message.type === 'loop-time') {
    // The event loop's idle and active milliseconds so far: between two answers, the share of the
    // time it had work (a herd queueing on the server) or waited for readers (still in their backoff).
    const { idle, active } = performance.eventLoopUtilization();
    process.send?.({ id: message.id, result: { idle, active } });
  } else if (message.type === 'loop-delay') {
    const result = { p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    delay.reset();
    process.send?.({ id: message.id, result });
  }
});
// The channel must not keep a stopping server alive.
process.channel?.unref();
