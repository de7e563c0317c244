// Preloaded into the server by scripts/soak.mjs (node --import): reports the server's own RSS,
// heap and event-loop delay on stderr, without touching the server's code.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const every = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const timer = setInterval(() => {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const sample = {
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
    heapMb: Math.round(process.memoryUsage().heapUsed / 1048576),
    lagP50Ms: ms(histogram.percentile(50)),
    lagP99Ms: ms(histogram.percentile(99)),
    lagMaxMs: ms(histogram.max),
  };
  histogram.reset();
  process.stderr.write(`SOAK_PROBE ${JSON.stringify(sample)}\n`);
}, every);
timer.unref();
