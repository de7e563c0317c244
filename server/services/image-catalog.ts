import { UPLOAD_REFERENCE, uploadUrl } from '../media/storage.js';
import type { ImageCatalog } from '../render/images.js';
import type { UploadStore } from '../store/uploads.js';

/**
 * What the render workers need to know of the uploads a body mentions (render/images.ts): their
 * dimensions and renditions, looked up here on the main thread, which has the database, and sent
 * with the render request, so the render itself stays a pure function of what it is given. Only
 * originals referenced by their relative `/uploads/…` URL are looked up (that is the `src` the
 * sanitizer matches), at most MAX_IMAGES of them; an upload stored before dimensions were
 * recorded is left out and renders as a plain image.
 */
const MAX_IMAGES = 100;

export function imageCatalog(uploads: UploadStore, body: string): ImageCatalog {
  const catalog: ImageCatalog = {};
  let looked = 0;
  for (const match of body.matchAll(UPLOAD_REFERENCE)) {
    const url = match[0];
    if (Object.hasOwn(catalog, url) || match[0].includes('-')) continue;
    if (++looked > MAX_IMAGES) break;
    const upload = uploads.byFileName(url.slice('/uploads/'.length));
    if (!upload || upload.width === null || upload.height === null) continue;
    catalog[url] = {
      width: upload.width,
      height: upload.height,
      renditions: upload.renditions.map(({ fileName, width, height, mimeType }) => ({ url: uploadUrl(fileName), width, height, mimeType })),
    };
  }
  return catalog;
}
