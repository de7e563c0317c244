import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { storageUnavailable } from '../db/unavailable.js';
import { AppError, type FieldError } from '../domain/errors.js';

/** RFC 9457 problem details, the one error format of the API. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
};

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

export function registerErrorHandling(app: FastifyInstance): void {
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
}
