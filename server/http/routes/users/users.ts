import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, tokenCreated, tokenInput, tokensOutput, userInput, userPatch, userSchema, usersOutput } from '../../../../contract/index.js';
import { requireRole } from '../../plugins/auth.js';

/**
 * People: login accounts and the API tokens scripts use, managed by admins only. Every route here
 * needs the admin role, so the check is one hook for this subtree (the service checks again).
 */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;
  app.addHook('preHandler', requireRole('admin'));

  app.get('/api/users', { schema: { response: { 200: usersOutput } } }, async (request) => ({ users: users.list(request.actor) }));

  app.post('/api/users', { schema: { body: userInput, response: { 201: userSchema } } }, async (request, reply) => reply.code(201).send(await users.create(request.actor, request.body)));

  app.patch('/api/users/:id', { schema: { params: idParams, body: userPatch, response: { 200: userSchema } } }, async (request) => users.update(request.actor, request.params.id, request.body));

  app.get('/api/tokens', { schema: { response: { 200: tokensOutput } } }, async (request) => ({ tokens: users.listTokens(request.actor) }));

  app.post('/api/tokens', { schema: { body: tokenInput, response: { 201: tokenCreated } } }, async (request, reply) =>
    reply.code(201).send(users.createToken(request.actor, request.body.userId, request.body.name)),
  );

  app.delete('/api/tokens/:id', { schema: { params: idParams } }, async (request, reply) => {
    users.revokeToken(request.actor, request.params.id);
    return reply.code(204).send();
  });
};
