import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { uploadOutput } from '../../../../contract/index.js';
import { UPLOAD_URL_PREFIX, UploadDirectory, uploadUrl } from '../../../media/storage.js';
import { ImageUploads, UPLOAD_MAX_BYTES } from '../../../media/uploads.js';
import { requireUser } from '../../plugins/auth.js';
import { imageFile } from './image-file.js';

/**
 * Image uploads: stored once under UPLOAD_DIR as <sha256>.<ext>, so the same image uploaded twice
 * is one file and a URL's content never changes (served with immutable caching). What is kept and
 * how (streaming to disk, the type from the bytes, quotas) is media/uploads.ts; this route unpacks
 * the multipart request and answers.
 */
export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { dir, quota } = app.config.storage.uploads;
  const images = new ImageUploads(new UploadDirectory(dir), app.stores.uploads, quota);
  await app.register(multipart, { limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 2, parts: 3 } });
  // Feed readers and partner sites show our images: uploads (and only they) may be loaded by any
  // origin. Set after helmet's same-origin default, on the files this plugin serves alone.
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      if (request.url.startsWith(UPLOAD_URL_PREFIX)) reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    }
  });
  await app.register(fastifyStatic, {
    root: dir,
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
    const file = await imageFile(request, images, request.actor.id);
    const upload = await images.accept(file.file, () => file.file.truncated, request.actor.id, new Date().toISOString());
    const url = uploadUrl(upload.fileName);
    const alt = file.filename.replace(/\.[a-z0-9]+$/i, '').replace(/[[\]()\\]/g, '').slice(0, 100) || 'image';
    return reply.code(201).header('Location', url).send({
      url,
      fileName: upload.fileName,
      mimeType: upload.mimeType,
      size: upload.size,
      markdown: `![${alt}](${url})`,
      width: upload.width,
      height: upload.height,
      renditions: upload.renditions.map((rendition) => ({ url: uploadUrl(rendition.fileName), width: rendition.width, height: rendition.height, mimeType: rendition.mimeType })),
    });
  });
};
