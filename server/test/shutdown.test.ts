import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assertBuilt, cli, startServer, type ServerProcess } from './process-helpers.js';

let dir: string;
let db: string;
let token: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'liveline-shutdown-'));
  db = join(dir, 'liveline.db');
  token = cli(db, ['token', 'create', '--name', 'Editor', '--role', 'editor']);
});
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('graceful shutdown on SIGTERM', () => {
  it('finishes the in-flight write, drops sockets so they reconnect, checkpoints WAL, closes the database, exits 0 within 10 s', async () => {
    server = await startServer(db);
    const { url } = server;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(`${url}/api/posts`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Shutdown', slug: 'shutdown' }) })).status).toBe(201);

    const reader = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const disconnected = new Promise<string>((resolve) => reader.once('disconnect', resolve));
    expect(await reader.timeout(10_000).emitWithAck('subscribe', { slug: 'shutdown' })).toEqual({ ok: true, lastSeq: 0 });

    // A write whose headers the server has accepted (it answered 100 Continue) but whose body is
    // still on its way when SIGTERM arrives: it must still be committed and answered.
    const body = JSON.stringify({ body: 'Written during shutdown' });
    const { url: base } = server;
    const inFlight = request(`${base}/api/posts/shutdown/entries`, {
      method: 'POST',
      headers: { ...auth, 'content-length': Buffer.byteLength(body), expect: '100-continue', 'idempotency-key': 'shutdown-1' },
    });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      inFlight.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      inFlight.on('error', reject);
    });
    await new Promise<void>((resolve) => inFlight.once('continue', resolve));

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    // Wait for the server to act on the signal before sending the rest of the body.
    expect(await disconnected).toBe('transport close'); // not 'io server disconnect': clients will reconnect
    inFlight.end(body);

    const answered = await response;
    expect(answered.status, answered.text).toBe(201);
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.logs.join('\n')).toMatch(/SIGTERM received, shutting down/);

    // WAL checkpointed and the database closed cleanly: no WAL content left behind, data intact.
    const wal = `${db}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.prepare('SELECT body FROM entries').all()).toEqual([{ body: 'Written during shutdown' }]);
    } finally {
      check.close();
    }
  }, 60_000);

  it('does not wait for readers that stopped reading: it exits at once, checkpointed, instead of at the 10 s deadline', async () => {
    server = await startServer(db);
    const { url } = server;
    // Readers whose connection is up but who read nothing any more (a phone in a tunnel, a laptop
    // lid closed): they will never answer a WebSocket close frame. With a closing handshake per
    // reader the server could not exit until each timed out, and the deploy's outage lasted until
    // the 10 s deadline killed it (exit 1, the WAL left unchecked).
    const stalled = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
            socket.once('message', () => {
              socket.send('40');
              // Stop reading: the close frame the server sends stays unread in the kernel.
              setTimeout(() => resolve(socket), 100);
            });
            socket.once('error', reject);
          }),
      ),
    );
    for (const socket of stalled) (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(3000);
    for (const socket of stalled) socket.terminate();
    const wal = `${db}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  }, 60_000);
});
