import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver for tests: a real HTTP server that verifies each delivery the way the Standard
 * Webhooks spec tells receivers to, written here from the spec and independent of
 * server/syndication/signer.ts (the key is the base64 after `whsec_`; the signature is
 * `v1,` + base64 HMAC-SHA256 of `${webhook-id}.${webhook-timestamp}.${body}`; the timestamp must be
 * within 5 minutes). It can answer with a chosen status, and be taken down and brought back on the
 * same port.
 */
export type Received = { id: string; timestamp: number; signatureValid: boolean; body: string; payload: { type: string; seq: number; post: { id: number; slug: string }; data: { seq: number; type: string; entry?: { id: number; body?: string } } } };

export function verifyStandardWebhook(secret: string, headers: IncomingMessage['headers'], body: string, nowSeconds = Date.now() / 1000): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export class WebhookReceiver {
  /** Every delivery this receiver acknowledged with a 2xx, in arrival order. */
  readonly received: Received[] = [];
  /** Every request that reached it, whatever it answered. */
  requests = 0;
  /** What to answer (a function of the request number); 204 by default. */
  answer: (request: number) => number = () => 204;
  secret = '';
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/liveline`;
  }

  get seqs(): number[] {
    return this.received.map((delivery) => delivery.payload.seq);
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests += 1;
        const status = this.answer(this.requests);
        const body = Buffer.concat(chunks).toString('utf8');
        if (status >= 200 && status < 300) {
          this.received.push({
            id: String(request.headers['webhook-id']),
            timestamp: Number(request.headers['webhook-timestamp']),
            signatureValid: verifyStandardWebhook(this.secret, request.headers, body),
            body,
            payload: JSON.parse(body) as Received['payload'],
          });
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `receiver says ${status}` : '');
      });
    });
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}
