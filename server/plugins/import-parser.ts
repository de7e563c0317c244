import fp from 'fastify-plugin';
import { ArchiveParser } from '../archive/parse-pool.js';
import type { ImportParser } from '../services/context.js';

/**
 * Reading imported files: a worker pool of its own (one thread, started by the first import),
 * apart from the renderer's, so an import never holds up live entries. Closed with the server.
 */

declare module 'fastify' {
  interface FastifyInstance {
    importParser: ImportParser;
  }
}

export const importParserPlugin = fp(
  async (app) => {
    const pool = new ArchiveParser();
    app.decorate('importParser', pool);
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'import-parser' },
);
