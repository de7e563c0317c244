import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/passwords.js';
import { authenticate } from '../auth.js';
import { ROLES } from '../../../contract/index.js';

const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const userOutput = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  hasPassword: z.boolean(),
});

const tokenOutput = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(ROLES),
  userId: z.number(),
  userName: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Admin-only management of accounts and API tokens. */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;
  const admin = (request: Parameters<typeof authenticate>[0]) => authenticate(request, app.stores.tokens, 'admin');

  app.get('/api/users', { schema: { response: { 200: z.object({ users: z.array(userOutput) }) } } }, async (request) => ({ users: users.list(admin(request)) }));

  app.post(
    '/api/users',
    {
      schema: {
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          email: z.email().max(320),
          role: z.enum(ROLES),
          password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
        }),
        response: { 201: userOutput },
      },
    },
    async (request, reply) => reply.code(201).send(await users.create(admin(request), request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        params: idParams,
        body: z.strictObject({ role: z.enum(ROLES), disabled: z.boolean() }).partial(),
        response: { 200: userOutput },
      },
    },
    async (request) => users.update(admin(request), request.params.id, request.body),
  );

  app.get('/api/tokens', { schema: { response: { 200: z.object({ tokens: z.array(tokenOutput) }) } } }, async (request) => ({ tokens: users.listTokens(admin(request)) }));

  app.post(
    '/api/tokens',
    {
      schema: {
        body: z.strictObject({ userId: z.number().int().positive(), name: z.string().trim().min(1).max(100) }),
        response: { 201: z.object({ id: z.number(), token: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send(users.createToken(admin(request), request.body.userId, request.body.name)),
  );

  app.delete('/api/tokens/:id', { schema: { params: idParams } }, async (request, reply) => {
    users.revokeToken(admin(request), request.params.id);
    return reply.code(204).send();
  });
};
