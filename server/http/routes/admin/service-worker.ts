import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../../domain/errors.js';
import { CLIENT_DIST } from '../../../render/assets.js';

/**
 * The newsroom's service worker (client/newsroom/sw.ts, built with a hashed name like every
 * asset) at a fixed address, /admin/sw.js: a worker's address cannot change between builds, and
 * it must be under /admin to look after the newsroom's pages. `Service-Worker-Allowed: /admin`
 * lets it take the scope /admin (the post list too), not only /admin/. It is code, not a page of
 * anyone's: no session needed. Browsers look for a new one on every navigation (`no-cache`).
 * The newsroom's CSP lets it register: worker-src falls back to script-src 'self'.
 */
export const serviceWorkerRoutes: FastifyPluginAsyncZod = async (app) => {
  let script: Buffer | undefined;
  app.get('/admin/sw.js', async (_request, reply) => {
    const url = app.assets.url('sw.js');
    if (!url) throw errors.notFound('The newsroom service worker (run `npm run build`)');
    script ??= await readFile(join(CLIENT_DIST, url.slice('/assets/'.length)));
    return reply.type('text/javascript; charset=utf-8').header('Service-Worker-Allowed', '/admin').header('Cache-Control', 'no-cache').send(script);
  });
};
