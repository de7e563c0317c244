import WebSocket from 'ws';

/**
 * Readers that stop reading, for the send-buffer cap's tests (socket-slow-readers.test.ts and the
 * fan-out node's guard tests). socket.io-client cannot be told to stop reading its TCP socket, and
 * a client that stops reading is exactly what the cap is about, so these speak the Engine.IO v4
 * and Socket.IO v5 wire themselves: on WebSocket (through `ws`, whose TCP socket can be paused)
 * and on HTTP long-polling (a reader that subscribes, then never polls again).
 *
 * They only know what any client could know; what the server holds for them is measured by the
 * tests themselves (`unsentBytes`), independently of the code under test.
 */

/** What each reader sends once it is open: subscribe to `slug` with an ack (id 0). */
const subscribePacket = (slug: string) => `420${JSON.stringify(['subscribe', { slug }])}`;

export type StalledWebSocketReader = {
  /** The Engine.IO session id: the server's name for this connection (`io.engine.clients[sid]`). */
  readonly sid: string;
  /** Stops reading from TCP: what the server sends piles up in the kernel, then in the server. */
  pause(): void;
  /** Reads again; resolves once the connection has closed (with every byte the server had sent). */
  resumeUntilClosed(timeoutMs?: number): Promise<void>;
  close(): void;
};

/** A WebSocket reader subscribed to `slug`, still reading; `pause()` stalls it. */
export function stalledWebSocketReader(url: string, slug: string, headers: Record<string, string> = {}): Promise<StalledWebSocketReader> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
  let closed = false;
  const onClosed: (() => void)[] = [];
  ws.on('close', () => {
    closed = true;
    for (const done of onClosed.splice(0)) done();
  });
  ws.on('error', () => {}); // a dropped reader errors on its way out; the close is what counts
  // ws keeps its TCP socket private; pausing it is the point of this reader.
  const tcp = () => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return new Promise((resolve, reject) => {
    let sid = '';
    const timer = setTimeout(() => reject(new Error('the raw WebSocket reader did not get its subscribe ack')), 10_000);
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '2') return ws.send('3'); // Engine.IO ping → pong, while still reading
      if (text.startsWith('0{')) {
        sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
        return ws.send('40');
      }
      if (text.startsWith('40{')) return ws.send(subscribePacket(slug));
      if (text.startsWith('430')) {
        clearTimeout(timer);
        const [ack] = JSON.parse(text.slice(3)) as [{ ok: boolean }];
        if (!ack.ok) return reject(new Error(`subscribe refused: ${text}`));
        resolve({
          sid,
          pause: () => tcp().pause(),
          resumeUntilClosed: (timeoutMs = 10_000) =>
            new Promise<void>((done, fail) => {
              if (closed) return done();
              const deadline = setTimeout(() => fail(new Error('the stalled reader was not disconnected')), timeoutMs);
              onClosed.push(() => (clearTimeout(deadline), done()));
              tcp().resume();
            }),
          close: () => ws.terminate(),
        });
      }
    });
  });
}

export type StalledPollingReader = {
  readonly sid: string;
  /** One more poll: the HTTP status the server answers (400 once it has forgotten the session). */
  pollStatus(): Promise<number>;
};

/** A long-polling reader subscribed to `slug` that never polls again unless asked. */
export async function stalledPollingReader(url: string, slug: string, headers: Record<string, string> = {}): Promise<StalledPollingReader> {
  const base = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(base, { headers })).text();
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const session = `${base}&sid=${encodeURIComponent(sid)}`;
  const send = async (packet: string) => {
    const response = await fetch(session, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain;charset=UTF-8' }, body: packet });
    if (!response.ok) throw new Error(`polling POST answered ${response.status}`);
  };
  /** Polls until a packet starting with `prefix` arrives (packets of one poll are separated by \x1e). */
  const receive = async (prefix: string) => {
    for (let polls = 0; polls < 10; polls++) {
      const packets = (await (await fetch(session, { headers })).text()).split('\x1e');
      if (packets.some((packet) => packet.startsWith(prefix))) return;
    }
    throw new Error(`the polling reader never got a packet starting with ${prefix}`);
  };
  await send('40');
  await receive('40{');
  await send(subscribePacket(slug));
  await receive('430[{"ok":true');
  return { sid, pollStatus: async () => (await fetch(session, { headers, signal: AbortSignal.timeout(5_000) })).status };
}

/**
 * What the server holds for one connection and has not sent yet: engine.io's queue of packets
 * plus, on WebSocket, what ws and Node's socket buffer hold. Read from the libraries' fields
 * directly (a test's own measure, not the code under test's).
 */
export function unsentBytes(connection: unknown): number {
  const conn = connection as { writeBuffer?: { data?: unknown }[]; transport?: { name?: string; socket?: { bufferedAmount?: number } } };
  let bytes = 0;
  for (const packet of conn.writeBuffer ?? []) {
    if (typeof packet.data === 'string') bytes += packet.data.length;
    else if (packet.data instanceof Uint8Array) bytes += packet.data.byteLength;
  }
  if (conn.transport?.name === 'websocket') bytes += conn.transport.socket?.bufferedAmount ?? 0;
  return bytes;
}
