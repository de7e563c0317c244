/**
 * Errors the application raises on purpose. Each maps to one RFC 9457 problem type; the HTTP
 * layer turns them into application/problem+json, the socket layer into an error ack.
 */
export type FieldError = { field: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const errors = {
  validation: (detail: string, fields: FieldError[]) =>
    new AppError(400, 'validation', 'Invalid request', detail, { errors: fields }),
  unauthenticated: (detail = 'Send an API token as "Authorization: Bearer <token>".') =>
    new AppError(401, 'unauthenticated', 'Authentication required', detail, {}, { 'WWW-Authenticate': 'Bearer realm="liveline"' }),
  forbidden: (detail: string) => new AppError(403, 'forbidden', 'Not allowed', detail),
  notFound: (what: string) => new AppError(404, 'not-found', 'Not found', `${what} does not exist.`),
  notImplemented: (code: string, detail: string) => new AppError(501, code, 'Not implemented', detail),
  conflict: (code: string, detail: string, extra: Record<string, unknown> = {}) =>
    new AppError(409, code, 'Conflict', detail, extra),
  preconditionFailed: (detail: string, extra: Record<string, unknown>) =>
    new AppError(412, 'stale-version', 'Precondition failed', detail, extra),
  preconditionRequired: () =>
    new AppError(428, 'if-match-required', 'Precondition required', 'Send "If-Match: <version>" with the version you edited, so concurrent edits are not lost.'),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new AppError(429, 'too-many-requests', 'Too many requests', detail, { retryAfter: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) }),
  unprocessable: (code: string, detail: string, extra: Record<string, unknown> = {}) =>
    new AppError(422, code, 'Unprocessable content', detail, extra),
};
