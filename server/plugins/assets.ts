import fp from 'fastify-plugin';
import { loadAssets, type Assets } from '../render/assets.js';

/**
 * The built client's hashed file names (render/assets.ts), read once at start-up: every page
 * links its scripts and styles through them and folds their version into its ETag.
 */

declare module 'fastify' {
  interface FastifyInstance {
    assets: Assets;
  }
}

export const assetsPlugin = fp(
  async (app) => {
    app.decorate('assets', loadAssets());
  },
  { name: 'assets' },
);
