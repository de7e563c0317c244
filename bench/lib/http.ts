import { Agent, request } from 'node:http';

export type HttpResult = { status: number; body: string; headers: NodeJS.Dict<string | string[]> };

/** One HTTP request over a keep-alive agent (fetch has no source-address option; node:http does). */
export function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent; timeoutMs?: number } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new Error(`timeout ${options.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Retries once on a reset: a keep-alive socket may be closed by the server just as we reuse it. */
export async function httpRetry(url: string, options: Parameters<typeof http>[1] = {}): Promise<HttpResult> {
  try {
    return await http(url, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'EPIPE') return http(url, options);
    throw error;
  }
}

export function keepAliveAgent(localAddress?: string, maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets, ...(localAddress ? { localAddress } : {}) });
}
