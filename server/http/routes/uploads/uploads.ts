import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { uploadOutput } from '../../../../contract/index.js';
import { errors } from '../../../domain/errors.js';
import { uploadErrors } from '../../../media/errors.js';
import { sniffImage } from '../../../media/images.js';
import { UPLOAD_URL_PREFIX, UploadDirectory, uploadUrl } from '../../../media/storage.js';
import { requireUser } from '../../plugins/auth.js';

/**
 * Image uploads: stored once under UPLOAD_DIR as <sha256>.<ext>, so the same image uploaded twice
 * is one file and a URL's content never changes (served with immutable caching). The file is
 * streamed to disk as it arrives (media/storage.ts), never buffered whole; the type is read from
 * its bytes, never from the client's file name or Content-Type.
 */

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const directory = new UploadDirectory(app.config.storage.uploadDir);
  await app.register(multipart, { limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 2, parts: 3 } });
  await app.register(fastifyStatic, {
    root: directory.root,
    prefix: UPLOAD_URL_PREFIX,
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    // `.incoming/` holds files still being received: never served.
    dotfiles: 'ignore',
    setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
  });

  app.post('/api/uploads', { preHandler: requireUser, schema: { response: { 201: uploadOutput } } }, async (request, reply) => {
    if (!request.isMultipart()) throw errors.validation('Send the image as multipart/form-data in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
    const file = await request.file();
    if (!file) throw errors.validation('Send the image in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
    const received = await directory.receive(file.file, UPLOAD_MAX_BYTES);
    try {
      // Busboy stops at the limit and marks the stream truncated rather than failing it.
      if (file.file.truncated) throw uploadErrors.tooLarge(UPLOAD_MAX_BYTES);
      const type = sniffImage(received.head);
      if (!type) throw uploadErrors.unsupported();
      const fileName = `${received.sha256}.${type.ext}`;
      directory.place(received.path, fileName);
      app.stores.uploads.insert({ sha256: received.sha256, fileName, mimeType: type.mimeType, size: received.size }, request.actor.id, new Date().toISOString());
      const url = uploadUrl(fileName);
      const alt = file.filename.replace(/\.[a-z0-9]+$/i, '').replace(/[[\]()\\]/g, '').slice(0, 100) || 'image';
      return reply.code(201).header('Location', url).send({ url, fileName, mimeType: type.mimeType, size: received.size, markdown: `![${alt}](${url})` });
    } finally {
      directory.discard(received.path);
    }
  });
};
