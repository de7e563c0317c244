import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { importBody, importQuery, importResult, slugParams } from '../../../../contract/index.js';
import { ArchiveFormatError } from '../../../archive/errors.js';
import { AppError, errors } from '../../../domain/errors.js';
import { notFoundPage } from '../../../render/pages.js';
import { PUBLIC_CACHE } from '../../caching.js';
import { authorize } from '../../plugins/auth.js';

/**
 * Archives: `/posts/:slug.md` (a post as a Jekyll Markdown file) and `POST /api/import` (one
 * uploaded archive file: Jekyll/WordPress Markdown, or Liveline's own JSON archive).
 */

/** Archive uploads can be long liveblogs; entries themselves stay limited by the entry schema. */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export const archiveRoutes: FastifyPluginAsyncZod = async (app) => {
  const { archives } = app.services;

  // Markdown uploads arrive as text; JSON archives use Fastify's JSON parser.
  app.addContentTypeParser(['text/markdown', 'text/x-markdown'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // A separate route: the reader page's `/posts/:slug` never sees the `.md` suffix.
  // find-my-way only accepts simple (safe) regexes; the zod schema checks the slug's exact form.
  app.get('/posts/:slug([a-z0-9-]+).md', { schema: { params: slugParams } }, async (request, reply) => {
    try {
      const markdown = archives.exportJekyll(request.params.slug);
      return reply.type('text/markdown; charset=utf-8').header('X-Content-Type-Options', 'nosniff').header('Cache-Control', PUBLIC_CACHE).send(markdown);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(app.assets));
      throw error;
    }
  });

  app.post(
    '/api/import',
    {
      // Not requireRole: the role depends on what was sent, so it is decided once the body is
      // parsed. A JSON archive writes rows as they are (ids, times, who wrote what): admins only;
      // Markdown is written as the importing editor's own entries.
      preHandler: async (request) => {
        const { body, query } = request;
        const isJsonArchive = typeof body !== 'string' || query.filename.toLowerCase().endsWith('.json') || body.trimStart().startsWith('{');
        authorize(request, isJsonArchive ? 'admin' : 'editor');
      },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { querystring: importQuery, body: importBody, response: { 200: importResult, 201: importResult } },
    },
    async (request, reply) => {
      const { filename } = request.query;
      try {
        const result =
          typeof request.body === 'string'
            ? await archives.importFile(filename, request.body, request.actor)
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
