#!/usr/bin/env node
// Soak test (`npm run soak`, not part of `npm test`): N readers follow one post over Socket.IO while
// an author posts entries at a steady rate; every SOAK_SAMPLE_MS it prints the server's RSS, heap and
// event-loop delay (measured inside the server process) and the readers' delivery latency.
//
//   SOAK_READERS=5000 SOAK_MINUTES=30 SOAK_RATE=1 npm run soak      (the defaults)
//   SOAK_READERS=500 SOAK_MINUTES=1 npm run soak                    (a quick run)
//
// The readers run in this process, so on a small machine their own load shows up in the latency
// figures; the server's RSS and event-loop figures are its own.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { io } from 'socket.io-client';

const READERS = Number(process.env.SOAK_READERS ?? 5000);
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const RATE = Number(process.env.SOAK_RATE ?? 1); // entries per second
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/liveline.js');

const dir = mkdtempSync(join(tmpdir(), 'liveline-soak-'));
const env = {
  ...process.env,
  DATABASE_PATH: join(dir, 'liveline.db'),
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  SOCKET_MAX_CONNECTIONS_PER_IP: '0', // every reader comes from 127.0.0.1
  RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  SOAK_SAMPLE_MS: String(SAMPLE_MS),
};
const token = execFileSync(process.execPath, [bin, 'token', 'create', '--name', 'Soak', '--role', 'editor'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

const server = spawn(process.execPath, ['--import', pathToFileURL(join(root, 'scripts/soak-probe.mjs')).href, bin, 'serve'], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
const probes = [];
let lastProbe;
server.stderr.on('data', (chunk) => {
  for (const line of chunk.toString().split('\n')) {
    if (line.startsWith('SOAK_PROBE ')) probes.push((lastProbe = JSON.parse(line.slice(11))));
    else if (line.trim()) process.stderr.write(`[server] ${line}\n`);
  }
});
const url = await new Promise((resolvePromise, reject) => {
  server.stdout.on('data', (chunk) => {
    const match = /Liveline is live at (http:\/\/[^\s"]+)/.exec(chunk.toString());
    if (match) resolvePromise(match[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
await fetch(`${url}/api/posts`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Soak', slug: 'soak', status: 'live' }) });

// Readers connect in batches so the ramp-up itself is not a thundering herd.
let received = 0;
let latencies = [];
let disconnects = 0;
const sockets = [];
console.log(`soak: ${READERS} readers, ${RATE} entry/s, ${MINUTES} min, sample every ${SAMPLE_MS / 1000} s; server ${url} pid ${server.pid}`);
for (let i = 0; i < READERS; i += 100) {
  const batch = [];
  for (let j = i; j < Math.min(READERS, i + 100); j++) {
    const socket = io(url, { transports: ['websocket'], forceNew: true });
    sockets.push(socket);
    socket.on('change', (change) => {
      received += 1;
      const sent = Number(/^soak (\d+)/.exec(change.entry?.body ?? '')?.[1]);
      if (sent) latencies.push(Date.now() - sent);
    });
    socket.on('disconnect', () => (disconnects += 1));
    batch.push(new Promise((resolveConnect) => socket.once('connect', () => socket.emit('subscribe', { slug: 'soak' }, resolveConnect))));
  }
  await Promise.all(batch);
}
console.log(`soak: ${sockets.length} readers subscribed`);

let posted = 0;
let failed = 0;
const writer = setInterval(async () => {
  const response = await fetch(`${url}/api/posts/soak/entries`, {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ body: `soak ${Date.now()} — entry ${posted + failed + 1} with **some** Markdown and a [link](https://example.com).` }),
  }).catch(() => undefined);
  if (response?.status === 201) posted += 1;
  else failed += 1;
}, 1000 / RATE);

const percentile = (values, p) => (values.length ? values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] : null);
const started = Date.now();
const report = setInterval(() => {
  const row = {
    t: `${Math.round((Date.now() - started) / 1000)}s`,
    ...lastProbe,
    posted,
    failed,
    delivered: received,
    expected: posted * READERS,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    disconnects,
  };
  latencies = [];
  console.log(JSON.stringify(row));
}, SAMPLE_MS);

await new Promise((resolveWait) => setTimeout(resolveWait, MINUTES * 60_000));
clearInterval(writer);
clearInterval(report);
await new Promise((resolveWait) => setTimeout(resolveWait, 2000)); // let the last entries arrive
const unexpectedDisconnects = disconnects;
for (const socket of sockets) socket.close();
server.kill('SIGTERM');
await new Promise((resolveExit) => server.once('exit', resolveExit));
rmSync(dir, { recursive: true, force: true });

// The last probe may come after the readers left; report the run's own samples.
const rss = probes.slice(0, -1).map((p) => p.rssMb);
const lag = probes.slice(0, -1).map((p) => p.lagP99Ms);
console.log(
  `soak summary: readers=${READERS} minutes=${MINUTES} posted=${posted} failed=${failed} delivered=${received}/${posted * READERS} ` +
    `serverRssMb first=${rss[0]} last=${rss.at(-1)} max=${Math.max(...rss)} serverLagP99Ms median=${percentile([...lag], 50)} max=${Math.max(...lag)} unexpectedDisconnects=${unexpectedDisconnects}`,
);
