import type { FastifyRequest } from 'fastify';

/**
 * Absolute URLs (canonical links, Open Graph, JSON-LD, feeds, the embed snippet) need an origin.
 * It comes from PUBLIC_URL, never from the request's Host header (security review M4): a forged
 * Host would otherwise write another site into pages that caches then serve to everyone. Without
 * PUBLIC_URL the server listens on loopback only (config.ts refuses anything else), and the origin
 * is that loopback address.
 */
export function publicOrigin(request: FastifyRequest): string {
  const { publicUrl, host, port } = request.server.config.http;
  if (publicUrl) return publicUrl;
  const address = request.server.server.address();
  const listening = typeof address === 'object' && address ? address.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listening}`;
}
