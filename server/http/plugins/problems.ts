import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../../../contract/index.js';
import { storageUnavailable } from '../../db/unavailable.js';
import { AppError } from '../../domain/errors.js';
import { notFoundPage } from '../../render/pages.js';

/**
 * The one error model of the API: RFC 9457 problem details (application/problem+json, the shape
 * is `problem` in contract/). This plugin installs the one error handler and the not-found
 * handler at the root, before any route exists, so every route and hook answers the same way:
 * validation → 400 with the fields, an AppError → its status, a refused database write → 503,
 * Fastify's own client errors → their status, anything else → 500 with the detail hidden and
 * the error logged. A fan-out node (fanout.ts) has no plugin stack and uses `sendProblem` alone.
 */
export const PROBLEM_TYPE_BASE = '/problems/';

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  // Errors describe one moment (a missing post may exist a second later): never let a cache keep them.
  return reply
    .code(problem.status)
    .headers({ ...headers, 'cache-control': 'no-store' })
    .type('application/problem+json; charset=utf-8')
    .send(problem);
}

function fromAppError(error: AppError, request: FastifyRequest): Problem {
  return {
    type: PROBLEM_TYPE_BASE + error.code,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: request.url,
    ...error.extra,
  };
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type...) keep their status. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
};

/** The not-found answer: problem+json under /api/, the HTML page everywhere else. */
function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.url.startsWith('/api/')) {
    return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}.` });
  }
  return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(request.server.assets));
}

export const problems = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        return sendProblem(reply, fromAppError(error, request), error.headers);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'body';
        const fields = error.validation.map((issue) => ({
          field: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
          message: issue.message ?? 'is invalid',
        }));
        const summary = fields.map((field) => `${field.field}: ${field.message}`).join('; ');
        return sendProblem(reply, {
          type: PROBLEM_TYPE_BASE + 'validation',
          title: 'Invalid request',
          status: 400,
          detail: summary,
          instance: request.url,
          errors: fields,
        });
      }
      const storage = storageUnavailable(error);
      if (storage) {
        // One clear line for the operator; the client learns only that it should retry.
        request.log.error({ sqliteCode: storage.code, method: request.method, url: request.url }, `database write refused: ${storage.reason} (${storage.code})`);
        return sendProblem(
          reply,
          {
            type: PROBLEM_TYPE_BASE + 'storage-unavailable',
            title: 'Storage unavailable',
            status: 503,
            detail: 'The server cannot save changes right now; nothing was saved. Reading still works; retry later.',
            instance: request.url,
          },
          { 'Retry-After': '30' },
        );
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = (error.code && FASTIFY_CODES[error.code]) ?? 'bad-request';
        const detail = code === 'body-too-large' ? 'The request body is larger than this route accepts.' : error.message;
        return sendProblem(reply, { type: PROBLEM_TYPE_BASE + code, title: 'Bad request', status, detail, instance: request.url });
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(reply, {
        type: PROBLEM_TYPE_BASE + 'internal',
        title: 'Internal server error',
        status: status >= 500 ? status : 500,
        detail: 'Something went wrong on our side; it has been logged.',
        instance: request.url,
      });
    });
    app.setNotFoundHandler(notFound);
  },
  { name: 'problems', dependencies: ['assets'] },
);
