import type { FastifyRequest } from 'fastify';
import { errors } from '../domain/errors.js';
import { hasRole, type Actor, type Role } from '../domain/types.js';
import type { TokenStore } from '../store/tokens.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Resolves the request's API token to an actor, or throws 401; throws 403 below `role`. */
export function authenticate(request: FastifyRequest, tokens: TokenStore, role: Role = 'author'): Actor {
  const header = request.headers.authorization;
  if (!header) throw errors.unauthenticated();
  const match = BEARER.exec(header);
  if (!match) throw errors.unauthenticated('The Authorization header must be "Bearer <token>".');
  const actor = tokens.authenticate(match[1]!, new Date().toISOString());
  if (!actor) throw errors.unauthenticated('The API token is unknown or has been revoked.');
  if (!hasRole(actor, role)) throw errors.forbidden(`This action needs the ${role} role; your token has the ${actor.role} role.`);
  return actor;
}
