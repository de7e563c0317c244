import fastifyCompress from '@fastify/compress';
import fp from 'fastify-plugin';
import { constants } from 'node:zlib';
import { COMPRESSIBLE_TYPES, COMPRESSION_THRESHOLD_BYTES, varyByEncoding } from '../compression.js';

/**
 * Compresses every response that is not already compressed (@fastify/compress): JSON, HTML,
 * feeds, exports. A post's live edge arrives here already compressed once per change
 * (../compression.ts), and the hashed assets come precompressed from the build, so what is
 * compressed here per response is the long tail (lists, older pages, change-log catch-ups),
 * at brotli quality 4: fast enough to be paid per request.
 *
 * Registered before the routes: the plugin adds its hook to each route as the route is declared.
 */
export const compression = fp(
  async (app) => {
    await app.register(fastifyCompress, {
      global: true,
      encodings: ['br', 'gzip'],
      threshold: COMPRESSION_THRESHOLD_BYTES,
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
      zlibOptions: { level: 6 },
      customTypes: COMPRESSIBLE_TYPES,
    });
    // The plugin names Accept-Encoding in Vary only when it compressed: a cache would then keep a
    // plain answer (to a client that asked for none) and hand it to everyone.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (COMPRESSIBLE_TYPES.test(String(reply.getHeader('Content-Type') ?? ''))) varyByEncoding(reply);
      return payload;
    });
  },
  { name: 'liveline-compression' },
);
