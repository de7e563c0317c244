import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { uploadOutput } from '../../../../contract/index.js';
import { AppError, errors } from '../../../domain/errors.js';
import { requireUser } from '../../plugins/auth.js';

/**
 * Image uploads: stored once under UPLOAD_DIR as <sha256>.<ext>, so the same image uploaded twice
 * is one file and a URL's content never changes (served with immutable caching). The type is read
 * from the bytes, never from the client's file name or Content-Type.
 */

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

const TYPES = [
  { mimeType: 'image/png', ext: 'png', matches: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mimeType: 'image/jpeg', ext: 'jpg', matches: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/gif', ext: 'gif', matches: (b: Buffer) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { mimeType: 'image/webp', ext: 'webp', matches: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
] as const;

/** The image type read from the bytes themselves; the client's file name and Content-Type are not trusted. */
export function sniffImage(bytes: Buffer): (typeof TYPES)[number] | undefined {
  return TYPES.find((type) => type.matches(bytes));
}

export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const dir = app.config.storage.uploadDir;
  mkdirSync(dir, { recursive: true });
  await app.register(multipart, { limits: { fileSize: UPLOAD_MAX_BYTES, files: 1, fields: 2, parts: 3 } });
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/uploads/',
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
  });

  app.post('/api/uploads', { preHandler: requireUser, schema: { response: { 201: uploadOutput } } }, async (request, reply) => {
    if (!request.isMultipart()) throw errors.validation('Send the image as multipart/form-data in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
    const file = await request.file();
    if (!file) throw errors.validation('Send the image in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    }
    if (file.file.truncated) throw tooLarge();
    const type = sniffImage(bytes);
    if (!type) throw errors.unprocessable('unsupported-image', 'Only PNG, JPEG, GIF and WebP images can be uploaded; this file is none of them.');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const fileName = `${sha256}.${type.ext}`;
    const path = join(dir, fileName);
    if (!existsSync(path)) {
      // Written aside and renamed, so a half-written file is never served under its final name.
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, path);
    }
    app.stores.uploads.insert({ sha256, fileName, mimeType: type.mimeType, size: bytes.length }, request.actor.id, new Date().toISOString());
    const url = `/uploads/${fileName}`;
    const alt = file.filename.replace(/\.[a-z0-9]+$/i, '').replace(/[[\]()\\]/g, '').slice(0, 100) || 'image';
    return reply.code(201).header('Location', url).send({ url, fileName, mimeType: type.mimeType, size: bytes.length, markdown: `![${alt}](${url})` });
  });
};

function tooLarge(): AppError {
  return new AppError(413, 'image-too-large', 'Payload too large', `Images may be at most ${UPLOAD_MAX_BYTES / 1024 / 1024} MB.`);
}
