import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { peopleOutput, profilePatch, profileSchema, ROLES } from '../../../../contract/index.js';
import { acceptAvatar } from '../../../media/avatars.js';
import { UploadDirectory, uploadUrl } from '../../../media/storage.js';
import { ImageUploads, UPLOAD_MAX_BYTES } from '../../../media/uploads.js';
import { requireRole } from '../../plugins/auth.js';
import { imageFile } from '../uploads/image-file.js';

/**
 * Bylines (issue 17): the newsroom's names for `@name` in the composer, and each person's own
 * profile (display name, role title, square avatar). Newsroom-only: every route needs a signed-in
 * person of any role (the lowest role, so a role added below `author` is let in); none of them
 * returns an email. What a byline shows readers is the entry's `authors`.
 */
export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  const signedIn = requireRole(ROLES[0]);
  const { profiles, uploads } = app.stores;
  const { dir, quota } = app.config.storage.uploads;
  const directory = new UploadDirectory(dir);
  const images = new ImageUploads(directory, uploads, quota);
  await app.register(multipart, { limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 2, parts: 3 } });

  app.get('/api/people', { preHandler: signedIn, schema: { response: { 200: peopleOutput } } }, async (_request, reply) => {
    return reply.header('Cache-Control', 'no-store').send({ people: profiles.people() });
  });

  app.get('/api/profile', { preHandler: signedIn, schema: { response: { 200: profileSchema } } }, async (request, reply) => {
    return reply.header('Cache-Control', 'no-store').send(profiles.byId(request.actor.id)!);
  });

  app.patch('/api/profile', { preHandler: signedIn, schema: { body: profilePatch, response: { 200: profileSchema } } }, async (request) => {
    const current = profiles.byId(request.actor.id)!;
    return profiles.save(
      {
        id: current.id,
        displayName: request.body.displayName === undefined ? current.displayName : request.body.displayName,
        jobTitle: request.body.jobTitle === undefined ? current.jobTitle : request.body.jobTitle,
        avatar: current.avatar,
      },
      new Date().toISOString(),
    );
  });

  /** The avatar: multipart/form-data with the image in `file`; stored cropped square (media/avatars.ts). */
  app.put('/api/profile/avatar', { preHandler: signedIn, schema: { response: { 200: profileSchema } } }, async (request) => {
    const file = await imageFile(request, images, request.actor.id);
    const now = new Date().toISOString();
    const avatar = await acceptAvatar(images, directory, uploads, file.file, () => file.file.truncated, request.actor.id, now);
    const current = profiles.byId(request.actor.id)!;
    return profiles.save({ ...current, avatar: uploadUrl(avatar.fileName) }, now);
  });

  app.delete('/api/profile/avatar', { preHandler: signedIn, schema: { response: { 200: profileSchema } } }, async (request) => {
    const current = profiles.byId(request.actor.id)!;
    return profiles.save({ ...current, avatar: null }, new Date().toISOString());
  });
};
