import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, hostOf, isPublicAddress, PrivateAddressError } from './addresses.js';

/**
 * One webhook POST. Redirects are not followed (a 3xx is a failed attempt: the endpoint's URL is
 * what the admin registered), only the first KiB of the answer is read (for the delivery log),
 * and the destination is checked on the addresses this very connection uses (addresses.ts).
 */

export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const KEEP_BYTES = 1024;

export function send(url: URL, body: string, headers: Record<string, string>, options: { timeoutMs: number; allowPrivate: boolean; signal: AbortSignal }): Promise<SendResult> {
  const host = hostOf(url);
  if (isIP(host) && !options.allowPrivate && !isPublicAddress(host)) {
    return Promise.resolve({ ok: false, status: null, error: new PrivateAddressError(host, host).message });
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Liveline-Webhooks/1', ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowPrivate),
        signal: options.signal,
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        let kept = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (kept.length < KEEP_BYTES) kept += chunk.slice(0, KEEP_BYTES - kept.length);
        });
        response.on('end', () => {
          if (status >= 200 && status < 300) finish({ ok: true, status });
          else finish({ ok: false, status, error: `HTTP ${status}${kept.trim() ? `: ${kept.trim().slice(0, 300)}` : ''}` });
        });
        response.on('error', (error) => finish({ ok: false, status, error: error.message }));
      },
    );
    // The whole exchange, connection to last byte, within the timeout.
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, error: error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message }));
    outgoing.end(body);
  });
}
