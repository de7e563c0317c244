#!/usr/bin/env node
// Measures the scale-out topology on this machine: commit-to-reader latency for readers spread
// over two fan-out nodes, and how many page reads nginx's micro-cache lets through to the primary.
// Usage: npm run build && node --import tsx scripts/cluster-latency.mjs [readers=1000] [entries=30]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { Topology } from './cluster/topology.ts';

// Every simulated reader connects from 127.0.0.1 straight to a fan-out node, so the per-address
// socket cap (200 by default, the same on fan-out nodes as on the primary) is lifted for this run.
process.env.SOCKET_MAX_CONNECTIONS_PER_IP ??= '0';
const readers = Number(process.argv[2] ?? 1000);
const entries = Number(process.argv[3] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'liveline-latency-'));
const topology = await Topology.start({ dir, logLevel: 'warn' });
try {
  const token = execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', 'bench', '--role', 'editor'], {
    env: { ...process.env, DATABASE_PATH: topology.databasePath }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${topology.primaryUrl}/api/posts`, { method: 'POST', headers, body: JSON.stringify({ title: 'Latency', status: 'live' }) });
  const { slug } = await created.json();

  const latencies = [];
  const sockets = [];
  for (let i = 0; i < readers; i++) {
    const socket = io(topology.fanoutUrl(i % 2), { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('change', (change) => latencies.push(Date.now() - Date.parse(change.entry.updatedAt)));
    sockets.push(socket);
  }
  await Promise.all(sockets.map((socket) => socket.timeout(120_000).emitWithAck('subscribe', { slug })));
  console.log(`${readers} readers subscribed (half on each fan-out node)`);

  for (let i = 1; i <= entries; i++) {
    await fetch(`${topology.primaryUrl}/api/posts/${slug}/entries`, { method: 'POST', headers, body: JSON.stringify({ body: `Entry ${i}` }) });
    await new Promise((done) => setTimeout(done, 100));
  }
  const expected = readers * entries;
  const deadline = Date.now() + 120_000;
  while (latencies.length < expected && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  console.log(`deliveries ${latencies.length}/${expected}; commit→reader latency ms: p50 ${at(0.5)} p95 ${at(0.95)} p99 ${at(0.99)} max ${latencies.at(-1)}`);
  for (const socket of sockets) socket.close();

  const pageReads = async () => {
    const metrics = await (await fetch(`${topology.primaryUrl}/metrics`)).text();
    return [...metrics.matchAll(/liveline_http_request_duration_seconds_count\{[^}]*route="\/posts\/:slug"[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const before = await pageReads();
  const started = Date.now();
  let served = 0;
  while (Date.now() - started < 5000) {
    const batch = await Promise.all(Array.from({ length: 50 }, () => fetch(`${topology.url}/posts/${slug}`).then((r) => r.arrayBuffer())));
    served += batch.length;
  }
  console.log(`page reads through nginx in 5 s: ${served}; reached the primary: ${(await pageReads()) - before}`);
} finally {
  await topology.stop();
  rmSync(dir, { recursive: true, force: true });
}
