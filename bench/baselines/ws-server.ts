/**
 * Baseline (a), the floor: a bare `ws` server that broadcasts each message it is handed, already
 * serialized, to every connected client. No rooms, no acks, no JSON work on the server.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

let seq = 0;
const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/broadcast') {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // Like our server, the floor numbers messages in the order it handles them (the author's
      // requests may overtake each other); one string replace per broadcast, not per client.
      const message = Buffer.concat(chunks).toString('utf8').replace('"seq":0,', `"seq":${++seq},`);
      for (const client of wss.clients) client.send(message);
      response.writeHead(204).end();
    });
    return;
  }
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
});
