import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Upload, UploadStore } from '../store/uploads.js';
import { uploadErrors } from './errors.js';
import type { ImageUploads } from './uploads.js';
import type { UploadDirectory } from './storage.js';
import type { Readable } from 'node:stream';

/**
 * Avatars (issue 17's bylines): an upload taken in exactly like any image (quotas, type from the
 * bytes, bounds, metadata stripped: uploads.ts), then cropped square around its most interesting
 * part and written as a 256 × 256 WebP, which is the upload the profile points at. The original
 * is left unreferenced and collected after the grace period like any unused upload.
 */
export const AVATAR_SIZE = 256;

export async function acceptAvatar(images: ImageUploads, directory: UploadDirectory, store: UploadStore, source: Readable, truncated: () => boolean, userId: number, now: string): Promise<Upload> {
  const original = await images.accept(source, truncated, userId, now);
  const input = join(directory.root, original.fileName);
  const output = directory.temporaryPath('.webp');
  let bytes: Buffer;
  try {
    // The first frame of an animation; the stored original is already oriented and bounded.
    bytes = await sharp(input, { animated: false }).resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: sharp.strategy.attention }).webp({ quality: 85 }).toBuffer();
  } catch {
    throw uploadErrors.invalid({ label: 'image' });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = `${sha256}.webp`;
  writeFileSync(output, bytes, { flag: 'wx' });
  directory.place(output, fileName);
  // Shown at one size (bylines), so no renditions.
  return store.insert({ sha256, fileName, mimeType: 'image/webp', size: bytes.length, width: AVATAR_SIZE, height: AVATAR_SIZE, renditions: [] }, userId, now);
}
