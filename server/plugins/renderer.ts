import fp from 'fastify-plugin';
import { imageCatalog } from '../services/image-catalog.js';
import { MarkdownRenderer } from '../render/markdown.js';
import type { Renderer } from '../services/context.js';

/**
 * Markdown to sanitized HTML: the worker pool by default, or the renderer a test hands in (one it
 * can hold mid-write). The server closes only a pool it started.
 */

declare module 'fastify' {
  interface FastifyInstance {
    renderer: Renderer;
  }
}

export const rendererPlugin = fp<{ renderer?: Renderer | undefined }>(
  async (app, { renderer: given }) => {
    if (given) {
      app.decorate('renderer', given);
      return;
    }
    // Images get their dimensions and renditions from the uploads they are (services/image-catalog.ts).
    const pool = new MarkdownRenderer({ images: (body) => imageCatalog(app.stores.uploads, body) });
    app.decorate('renderer', pool);
    app.addHook('onClose', async () => pool.close());
  },
  { name: 'renderer' },
);
