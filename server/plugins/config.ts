import fp from 'fastify-plugin';
import type { Config } from '../config.js';

/**
 * The validated settings (config.ts), on the instance for every plugin and route that needs one.
 * The first application plugin: the others name it in their `dependencies`.
 */

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

export const configPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorate('config', config);
  },
  { name: 'config' },
);
