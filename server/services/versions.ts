import { errors } from '../domain/errors.js';

/** Optimistic concurrency: a write must name the version it was based on. */
export function requireVersion(ifMatch: number | undefined): number {
  if (ifMatch === undefined) throw errors.preconditionRequired();
  return ifMatch;
}
