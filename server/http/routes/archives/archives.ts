import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ArchiveFormatError } from '../archive/errors.js';
import { AppError, errors } from '../domain/errors.js';
import { notFoundPage } from '../render/pages.js';
import { authenticate } from './auth.js';
import { slugParams } from '../../contract/index.js';

/** Archive uploads can be long liveblogs; entries themselves stay limited by the entry schema. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

const importQuery = z.object({ filename: z.string().min(1).max(255).default('upload.md') });
const importOutput = z.object({ file: z.string(), slug: z.string(), action: z.enum(['created', 'updated', 'unchanged']), entries: z.number() });

/** `/posts/:slug.md` (Jekyll export) and `POST /api/import` (one uploaded archive file). */
export const archiveRoutes: FastifyPluginAsyncZod = async (app) => {
  const { archives } = app.services;

  // Markdown uploads arrive as text; JSON archives use Fastify's JSON parser.
  app.addContentTypeParser(['text/markdown', 'text/x-markdown'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // A separate route: the reader page's `/posts/:slug` never sees the `.md` suffix.
  // find-my-way only accepts simple (safe) regexes; the zod schema checks the slug's exact form.
  app.get('/posts/:slug([a-z0-9-]+).md', { schema: { params: slugParams } }, async (request, reply) => {
    try {
      const markdown = archives.exportJekyll(request.params.slug);
      return reply.type('text/markdown; charset=utf-8').header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'public, max-age=1, stale-while-revalidate=5').send(markdown);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(app.assets));
      throw error;
    }
  });

  app.post(
    '/api/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { querystring: importQuery, body: z.union([z.string(), z.record(z.string(), z.unknown())]), response: { 200: importOutput, 201: importOutput } },
    },
    async (request, reply) => {
      const { filename } = request.query;
      // A JSON archive writes rows as they are (ids, times, who wrote what): admins only.
      const isJsonArchive = typeof request.body !== 'string' || filename.toLowerCase().endsWith('.json') || request.body.trimStart().startsWith('{');
      const actor = authenticate(request, app.stores.tokens, isJsonArchive ? 'admin' : 'editor');
      try {
        const result =
          typeof request.body === 'string'
            ? await archives.importFile(filename, request.body, actor)
            : await archives.importJson(filename, request.body);
        return reply.code(result.action === 'created' ? 201 : 200).header('Location', `/api/posts/${result.slug}`).send(result);
      } catch (error) {
        if (error instanceof ArchiveFormatError) {
          throw errors.unprocessable('invalid-archive', `${error.location}: ${error.message}`, { file: error.file, line: error.line });
        }
        throw error;
      }
    },
  );
};
