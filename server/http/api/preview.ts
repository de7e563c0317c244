import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../domain/errors.js';
import { RenderError } from '../../render/markdown.js';
import { authenticate } from '../auth.js';
import { ENTRY_BODY_LIMIT } from './entries.js';
import { ENTRY_BODY_MAX } from '../../../contract/index.js';

/** Renders a draft with the very pipeline entries are published with, so the preview is exact. */
export const previewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/preview',
    {
      bodyLimit: ENTRY_BODY_LIMIT,
      schema: { body: z.strictObject({ body: z.string().max(ENTRY_BODY_MAX) }), response: { 200: z.object({ html: z.string() }) } },
    },
    async (request, reply) => {
      authenticate(request, app.stores.tokens);
      try {
        const html = request.body.body.trim() ? await app.renderer.render(request.body.body) : '';
        return reply.header('Cache-Control', 'no-store').send({ html });
      } catch (error) {
        if (error instanceof RenderError) throw errors.unprocessable('unrenderable-markdown', error.message);
        throw error;
      }
    },
  );
};
