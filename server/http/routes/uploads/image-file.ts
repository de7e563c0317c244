import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../../domain/errors.js';
import type { ImageUploads } from '../../../media/uploads.js';

/**
 * The image of an upload request (`/api/uploads`, `/api/profile/avatar`): multipart/form-data
 * with the image in `file`, refused before it is read when the person has no room left. The
 * refused body is read to nowhere, so the client gets the answer rather than a reset.
 */
export async function imageFile(request: FastifyRequest, images: ImageUploads, personId: number): Promise<MultipartFile> {
  if (!request.isMultipart()) throw errors.validation('Send the image as multipart/form-data in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
  const file = await request.file();
  if (!file) throw errors.validation('Send the image in a field named "file".', [{ field: 'body.file', message: 'is required' }]);
  try {
    images.assertRoomFor(personId);
  } catch (error) {
    await pipeline(file.file, new Writable({ write: (_chunk, _encoding, done) => done() }));
    throw error;
  }
  return file;
}
