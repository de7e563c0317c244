import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Responses travel compressed (issue 15, "Weight"): brotli where the client takes it, else gzip.
 *
 * A post's live edge (page, API JSON, Atom) is rendered once per change and kept in a
 * LiveEdgeCache; its compressed forms are kept beside it, made on the first request that asks for
 * each, so compression too is paid once per change, not once per reader. Everything else is
 * compressed per response by @fastify/compress (plugins/compression.ts), which leaves alone a
 * response that already carries a Content-Encoding.
 */

export type Encoding = 'br' | 'gzip';
const ENCODINGS: Encoding[] = ['br', 'gzip'];

/** Brotli 5 and gzip 6: within a few per cent of the best sizes at a fraction of the CPU (a page of 50 entries compresses in about 2 ms). */
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/** Below this, compression costs more than it saves (and a page this small is already fast). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

export class CompressibleBody {
  private readonly encoded = new Map<Encoding, Buffer>();
  /**
   * The text as UTF-8, made once: sending a string makes Node encode it again for every response
   * (and measure it for Content-Length), which for a page with any character beyond Latin-1 (…, ↑,
   * an Arabic post) costs as much as the rest of the request.
   */
  readonly plain: Buffer;

  constructor(readonly text: string) {
    this.plain = Buffer.from(text, 'utf8');
  }

  /** The body in `encoding`, compressed on first use and kept. */
  as(encoding: Encoding): Buffer {
    let buffer = this.encoded.get(encoding);
    if (!buffer) {
      buffer = encoding === 'br' ? brotliCompressSync(this.text, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: this.text.length } }) : gzipSync(this.text, { level: GZIP_LEVEL });
      this.encoded.set(encoding, buffer);
    }
    return buffer;
  }

  /** An upper bound of the bytes this body can come to hold: the text (UTF-16 in V8) and both compressed forms (never longer than the UTF-8 text, give or take a header). */
  get maxBytes(): number {
    return this.text.length * 2 + this.plain.length + 2 * (this.plain.length + 64);
  }
}

/** The encoding the client prefers among ours, if any (`identity` and unknown codings: none). */
export function acceptedEncoding(request: FastifyRequest): Encoding | undefined {
  const header = request.headers['accept-encoding'];
  if (!header) return undefined;
  const chosen = negotiate(header, ENCODINGS);
  return chosen === 'br' || chosen === 'gzip' ? chosen : undefined;
}

/** Sends a cached body in the encoding the client accepts, `type` as its Content-Type. */
export function sendCompressible(request: FastifyRequest, reply: FastifyReply, body: CompressibleBody, type: string): FastifyReply {
  varyByEncoding(reply);
  reply.type(type);
  const encoding = body.plain.length >= COMPRESSION_THRESHOLD_BYTES ? acceptedEncoding(request) : undefined;
  // Plain: the compression plugin negotiates as this did (brotli or gzip, none here), so it leaves it alone.
  if (!encoding) return reply.header('Content-Length', body.plain.length).send(body.plain);
  const buffer = body.as(encoding);
  return reply.header('Content-Encoding', encoding).header('Content-Length', buffer.length).send(buffer);
}

/** Tells caches (nginx, CDNs, browsers) that the answer depends on Accept-Encoding, also when it went out plain. */
export function varyByEncoding(reply: FastifyReply): void {
  const vary = reply.getHeader('Vary');
  const current = Array.isArray(vary) ? vary.join(', ') : String(vary ?? '');
  if (current.toLowerCase().includes('accept-encoding')) return;
  reply.header('Vary', current ? `${current}, accept-encoding` : 'accept-encoding');
}

/** Types worth compressing: text, JSON, XML (feeds, sitemaps), JavaScript, CSS, SVG. */
export const COMPRESSIBLE_TYPES = /^(text\/|application\/(?:json|problem\+json|atom\+xml|rss\+xml|xml|javascript|manifest\+json|ld\+json)|image\/svg\+xml)/;
