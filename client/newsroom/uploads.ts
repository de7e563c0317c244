import type { Upload } from '../../contract/index.js';
import { upload } from '../api-client.js';

/** Images for entries: refused here before a 10 MB upload starts; the server checks the bytes again. */

const ACCEPTED = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_BYTES = 10 * 1024 * 1024;

/** Uploads an image and returns what the server made of it (its URL, dimensions, renditions). */
export async function uploadImage(file: File): Promise<Upload> {
  if (file.type && !ACCEPTED.includes(file.type)) throw new Error('only PNG, JPEG, GIF and WebP images can be uploaded');
  if (file.size > MAX_BYTES) throw new Error('images may be at most 10 MB');
  return upload(file);
}
