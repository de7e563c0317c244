/**
 * A load-generator process: holds many readers (Socket.IO, bare ws or HTTP pollers) and measures
 * what they receive. The orchestrator (bench/run.ts) starts several, pinned away from the server.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { parseStamp } from '../lib/author.js';
import { httpRetry, keepAliveAgent } from '../lib/http.js';
import { serveRpc } from '../lib/rpc.js';
import { SioLite } from './sio-lite.js';
import { crowdWindowMs, reconnectDelay, RECONNECT_DEFAULTS, type ReconnectPolicy } from '../../client/reconnect.js';
import { emptyDelivery, encodeHistogram, newHistogram, now, recordMs, type Delivery, type GeneratorLoad } from '../lib/stats.js';
import type { Agent } from 'node:http';

type WireChange = { seq: number; type: string; entry?: { body?: string } };

/** One reader's view of the post: applies changes strictly by seq, like client/reader.ts. */
class ReaderState {
  lastSeq = 0;
  catchingUp = false;
  constructor(readonly address: string) {}
}

let histogram = newHistogram();
let delivery: Delivery = emptyDelivery(0);
let baseSeq = 0;
let measuring = false;
/** Whether to time each entry (POST → change); a join storm replays entries posted long before. */
let timeEntries = true;
let httpRequests = 0;
let disconnects = 0;
let catchUpErrors = 0;
let connectAttempts = 0;
let sampleChange: WireChange | undefined;
let sampleBytes = 0;
const responseSamples: number[] = [];
let joinHistogram = newHistogram();
const responseHistogram = { value: newHistogram() };

let loadStart = { cpu: process.cpuUsage(), wall: now(), elu: performance.eventLoopUtilization() };
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const agents = new Map<string, Agent>();
const agentFor = (address: string) => {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = keepAliveAgent(address, 256)));
  return agent;
};

type Context = { url: string; slug: string };
let context: Context = { url: '', slug: '' };
/** The reader page's reconnection policy (client/reconnect.ts); `setup` may turn its jitter off. */
let policy: ReconnectPolicy = RECONNECT_DEFAULTS;
/** Readers that lost their connection, and those of them back: resubscribed and caught up. */
let lost = 0;
let rejoined = 0;
let lastRejoinAt = 0;
/** Live `change` frames received (replays come as one `changes` batch): the herds' delivery work. */
let liveFrames = 0;

function receive(reader: ReaderState, change: WireChange): void {
  if (change.seq <= reader.lastSeq) {
    if (measuring) delivery.duplicates++;
    return;
  }
  if (change.seq !== reader.lastSeq + 1) {
    if (measuring) delivery.outOfOrder++;
    // The bare-ws floor has no history to fetch: the gap stays counted as out of order.
    if (context.url) void catchUp(reader).catch(() => catchUpErrors++);
    return;
  }
  reader.lastSeq = change.seq;
  if (!measuring || change.type !== 'entry.created') return;
  const stamp = timeEntries && change.entry?.body ? parseStamp(change.entry.body) : undefined;
  if (stamp) recordMs(histogram, now() - stamp.sentAt);
  const slot = change.seq - baseSeq - 1;
  if (slot >= 0 && slot < delivery.perEntry.length) {
    delivery.perEntry[slot] = (delivery.perEntry[slot] ?? 0) + 1;
    delivery.delivered++;
  }
}

/** A gap: fetch what is missing over HTTP, as the reader page does. */
async function catchUp(reader: ReaderState): Promise<void> {
  if (reader.catchingUp) return;
  reader.catchingUp = true;
  try {
    for (;;) {
      httpRequests++;
      const result = await httpRetry(`${context.url}/api/posts/${context.slug}/changes?since=${reader.lastSeq}`, { agent: agentFor(reader.address) });
      if (result.status !== 200) throw new Error(`catch-up: ${result.status}`);
      const page = JSON.parse(result.body) as { changes: WireChange[]; lastSeq: number };
      for (const change of page.changes) receive(reader, change);
      if (page.changes.length === 0 || reader.lastSeq >= page.lastSeq) break;
    }
  } finally {
    reader.catchingUp = false;
  }
}

// ---------- Socket.IO readers ----------

type SioReader = { state: ReaderState; client: SioLite; subscribed: boolean; ackSeq: number; fromSeq: boolean; rejoining: boolean; lostAt: number | undefined };
let sioReaders: SioReader[] = [];

type Ack = { ok: boolean; lastSeq?: number; error?: { message: string } };

/** Subscribes as the reader page does: `since` (when known) and the replay as one `changes` batch. */
async function subscribe(reader: SioReader, since: number | undefined): Promise<void> {
  const payload = since === undefined ? { slug: context.slug, batch: true } : { slug: context.slug, since, batch: true };
  const [ack] = (await reader.client.emitWithAck('subscribe', payload, 120_000)) as [Ack];
  if (!ack.ok) throw new Error(ack.error?.message ?? 'subscribe refused');
  reader.subscribed = true;
  reader.ackSeq = ack.lastSeq ?? 0;
  if (since === undefined) reader.state.lastSeq = reader.ackSeq;
  // The replay (up to 100 changes) arrives before the ack; anything beyond comes over HTTP.
  if (reader.ackSeq > reader.state.lastSeq) await catchUp(reader.state);
  if (reader.lostAt !== undefined) {
    // Back: from the moment its connection was lost to subscribed and caught up.
    const at = now();
    recordMs(joinHistogram, at - reader.lostAt);
    reader.lostAt = undefined;
    rejoined++;
    lastRejoinAt = Math.max(lastRejoinAt, at);
  }
}

/** The post's readers as the last `presence` said (every reader here follows the same post, so one count serves all). */
let crowd: number | undefined;

/** The reader page's retry pause (client/reconnect.ts: full jitter, a crowd-sized window for 10 s after the loss, then up to 5 s). */
const backoffMs = (attempt: number, lostAt?: number) =>
  reconnectDelay(attempt, policy, Math.random, lostAt === undefined ? Infinity : now() - lostAt, crowdWindowMs(crowd, policy));

/** After a lost connection: as the reader page does, wait the policy's pause before each try. */
async function rejoin(reader: SioReader): Promise<void> {
  if (reader.rejoining) return;
  reader.rejoining = true;
  try {
    const lostAt = reader.lostAt ?? now();
    for (let attempt = 0; attempt < 500; attempt++) {
      await new Promise((done) => setTimeout(done, backoffMs(attempt, lostAt)));
      connectAttempts++;
      try {
        await reader.client.connect(30_000);
        await subscribe(reader, reader.state.lastSeq);
        return;
      } catch {
        reader.client.close();
      }
    }
  } finally {
    reader.rejoining = false;
  }
}

/**
 * Connects and subscribes from what the reader has (a brand-new reader without `since` asks for
 * nothing); with `retry`, failures are retried with the backoff above, each try counted.
 */
async function join(reader: SioReader, retry: boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    connectAttempts++;
    try {
      await reader.client.connect(120_000);
      await subscribe(reader, reader.subscribed || reader.fromSeq ? reader.state.lastSeq : undefined);
      return;
    } catch (error) {
      reader.client.close();
      if (!retry || attempt >= 60) throw error;
      await new Promise((done) => setTimeout(done, backoffMs(attempt)));
    }
  }
}

function openSio(address: string, since: number | undefined, retry = false, rejoins = false): Promise<SioReader> {
  const state = new ReaderState(address);
  if (since !== undefined) state.lastSeq = since;
  const onChange = (change: WireChange) => {
    if (!sampleChange && change.type === 'entry.created') {
      sampleChange = change;
      sampleBytes = Buffer.byteLength(`42${JSON.stringify(['change', change])}`);
    }
    receive(state, change);
  };
  const client = new SioLite(context.url, address, {
    event: (name, args) => {
      if (name === 'change') {
        liveFrames++;
        onChange(args[0] as WireChange);
      }
      else if (name === 'changes') for (const change of args[0] as WireChange[]) onChange(change);
      else if (name === 'presence') crowd = (args[0] as { readers?: number }).readers ?? crowd;
    },
    closed: () => {
      disconnects++;
      // Like the reader page: come back and subscribe again from what this reader has.
      if (rejoins) {
        if (reader.rejoining) return;
        lost++;
        reader.lostAt = now();
        void rejoin(reader);
      } else if (retry) void join(reader, true).catch(() => undefined);
    },
  });
  const reader: SioReader = { state, client, subscribed: false, ackSeq: 0, fromSeq: since !== undefined, rejoining: false, lostAt: undefined };
  return join(reader, retry).then(() => reader);
}

/** Runs `count` tasks with at most `concurrency` in flight; returns errors (first few) and failures. */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<{ failed: number; errors: string[] }> {
  let next = 0;
  let failed = 0;
  const errors: string[] = [];
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    }
  };
  // Workers start in slices, yielding in between: starting thousands in one tick would hold this
  // generator's event loop for a long stretch and count as its own saturation.
  const workers: Promise<void>[] = [];
  for (let index = 0; index < Math.max(1, Math.min(count, concurrency)); index++) {
    if (index > 0 && index % 100 === 0) await new Promise((done) => setImmediate(done));
    workers.push(worker());
  }
  await Promise.all(workers);
  return { failed, errors };
}

const addressOf = (addresses: string[], index: number) => addresses[index % addresses.length] ?? '127.0.0.1';

// ---------- bare ws readers ----------

let wsReaders: { state: ReaderState; socket: WebSocket }[] = [];

function openWs(url: string, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { localAddress: address, perMessageDeflate: false });
    const reader = { state: new ReaderState(address), socket };
    socket.on('message', (data) => {
      const text = data.toString();
      // Same wire format as Socket.IO's: 42["change",{...}].
      const [, change] = JSON.parse(text.slice(2)) as [string, WireChange];
      receive(reader.state, change);
    });
    socket.once('open', () => {
      wsReaders.push(reader);
      resolve();
    });
    // A lasting listener: an 'error' event without one would crash the whole generator.
    socket.on('error', reject);
    socket.on('close', () => disconnects++);
  });
}

// ---------- HTTP pollers ----------

let pollersDone: Promise<{ unfinished: number }> = Promise.resolve({ unfinished: 0 });
let pollStop = false;

function startPollers(count: number, addresses: string[], intervalMs: number, targetSeq: number, deadline: number): void {
  pollStop = false;
  const one = async (index: number): Promise<boolean> => {
    const state = new ReaderState(addressOf(addresses, index));
    await new Promise((done) => setTimeout(done, Math.random() * intervalMs));
    let next = now();
    while (!pollStop && now() < deadline) {
      const started = now();
      httpRequests++;
      try {
        const result = await httpRetry(`${context.url}/api/posts/${context.slug}/changes?since=${state.lastSeq}`, { agent: agentFor(state.address) });
        const took = now() - started;
        recordMs(responseHistogram.value, took);
        if (responseSamples.length < 20_000) responseSamples.push(took);
        if (result.status === 200) for (const change of (JSON.parse(result.body) as { changes: WireChange[] }).changes) receive(state, change);
      } catch {
        // Counted as a request; the next poll retries, as a browser would.
      }
      if (state.lastSeq >= targetSeq) return true;
      next += intervalMs;
      await new Promise((done) => setTimeout(done, Math.max(0, next - now())));
    }
    return state.lastSeq >= targetSeq;
  };
  pollersDone = Promise.all(Array.from({ length: count }, (_, index) => one(index))).then((results) => ({ unfinished: results.filter((ok) => !ok).length }));
}

// ---------- measurement ----------

function load(): GeneratorLoad {
  const cpu = process.cpuUsage(loadStart.cpu);
  const elu = performance.eventLoopUtilization(loadStart.elu);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: now() - loadStart.wall,
    eventLoopUtilization: elu.utilization,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
  };
}

serveRpc({
  setup: (message) => {
    context = { url: String(message.url), slug: String(message.slug) };
    policy = { ...RECONNECT_DEFAULTS, jitter: message.jitter !== false };
    crowd = undefined;
    return true;
  },
  'measure-start': (message) => {
    histogram = newHistogram();
    responseHistogram.value = newHistogram();
    joinHistogram = newHistogram();
    responseSamples.length = 0;
    delivery = emptyDelivery(Number(message.entries));
    baseSeq = Number(message.baseSeq ?? 0);
    httpRequests = 0;
    disconnects = 0;
    catchUpErrors = 0;
    connectAttempts = 0;
    lost = 0;
    rejoined = 0;
    lastRejoinAt = 0;
    measuring = true;
    timeEntries = message.timeEntries !== false;
    loopDelay.reset();
    loadStart = { cpu: process.cpuUsage(), wall: now(), elu: performance.eventLoopUtilization() };
    return true;
  },
  status: () => ({ delivered: delivery.delivered, liveFrames, disconnects, readers: sioReaders.length + wsReaders.length, lost, rejoined, lastRejoinAt, minSeq: Math.min(...sioReaders.map((reader) => reader.state.lastSeq)) }),
  'measure-report': () => {
    measuring = false;
    return {
      histogram: encodeHistogram(histogram),
      responseHistogram: encodeHistogram(responseHistogram.value),
      joinHistogram: encodeHistogram(joinHistogram),
      responseSamples: responseSamples.slice(0, 5000),
      delivery,
      load: load(),
      httpRequests,
      disconnects,
      catchUpErrors,
      connectAttempts,
      sampleChange,
      sampleBytes,
    };
  },
  'sio-connect': async (message) => {
    const count = Number(message.count);
    const addresses = message.addresses as string[];
    const since = message.since === undefined ? undefined : Number(message.since);
    const started = sioReaders.length;
    const opened: SioReader[] = [];
    const startedAt = message.startedAt === undefined ? undefined : Number(message.startedAt);
    const result = await pool(count, Number(message.concurrency ?? 100), async (index) => {
      opened.push(await openSio(addressOf(addresses, started + index), since, message.retry === true, message.rejoin === true));
      // Join time: from the storm's start until this reader is subscribed and caught up.
      if (startedAt !== undefined) recordMs(joinHistogram, now() - startedAt);
    });
    sioReaders.push(...opened);
    return { ...result, connected: opened.length, doneAt: now(), lastSeqs: [Math.min(...opened.map((r) => r.state.lastSeq)), Math.max(...opened.map((r) => r.state.lastSeq))] };
  },
  /**
   * Arrival storm: `count` new readers spread evenly over `seconds`, each as a browser arriving
   * from a push alert: GET the page (compressed), GET its assets, then open a socket and subscribe
   * (no `since`: the page has what it rendered). Page latency goes to the response histogram, the
   * time from the page request to the subscribe ack to the join histogram.
   */
  arrive: async (message) => {
    const count = Number(message.count);
    const spacing = (Number(message.seconds) * 1000) / Math.max(1, count);
    const addresses = message.addresses as string[];
    const paths = [String(message.page), ...(message.assets as string[])];
    const headers = { 'accept-encoding': String(message.encoding ?? 'br, gzip') };
    const start = now();
    let failed = 0;
    let pageBytes = 0;
    const errors: string[] = [];
    const opened: SioReader[] = [];
    const one = async (index: number) => {
      const wait = start + index * spacing - now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const address = addressOf(addresses, index);
      const agent = agentFor(address);
      const began = now();
      try {
        for (const [n, path] of paths.entries()) {
          httpRequests++;
          const result = await httpRetry(`${context.url}${path}`, { agent, headers });
          if (result.status !== 200) throw new Error(`GET ${path}: ${result.status}`);
          if (n === 0) {
            recordMs(responseHistogram.value, now() - began);
            pageBytes = Math.max(pageBytes, result.body.length);
          }
        }
        const reader = await openSio(address, undefined);
        recordMs(joinHistogram, now() - began);
        opened.push(reader);
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    };
    await Promise.all(Array.from({ length: count }, (_, index) => one(index)));
    sioReaders.push(...opened);
    return { failed, errors, connected: opened.length, doneAt: now(), pageBytes };
  },
  'sio-offline': () => {
    for (const reader of sioReaders) reader.client.close();
    return sioReaders.length;
  },
  /** Every reader comes back at once and subscribes with its lastSeq; resolves when all reach targetSeq. */
  'sio-online': async (message) => {
    const target = Number(message.targetSeq);
    const result = await pool(sioReaders.length, sioReaders.length, async (index) => {
      const reader = sioReaders[index];
      if (!reader) return;
      await join(reader, false);
      while (reader.state.lastSeq < target || reader.state.catchingUp) await new Promise((done) => setTimeout(done, 20));
    });
    return { ...result, doneAt: now() };
  },
  'ws-connect': async (message) => {
    const addresses = message.addresses as string[];
    const result = await pool(Number(message.count), Number(message.concurrency ?? 100), (index) => openWs(String(message.url), addressOf(addresses, index)));
    return { ...result, connected: wsReaders.length };
  },
  'poll-start': (message) => {
    startPollers(Number(message.count), message.addresses as string[], Number(message.intervalMs), Number(message.targetSeq), Number(message.deadline));
    return true;
  },
  'poll-wait': async () => pollersDone,
  close: async () => {
    pollStop = true;
    for (const reader of sioReaders) reader.client.close();
    for (const reader of wsReaders) reader.socket.terminate();
    sioReaders = [];
    wsReaders = [];
    await pollersDone;
    for (const agent of agents.values()) agent.destroy();
    agents.clear();
    disconnects = 0;
    return true;
  },
});
