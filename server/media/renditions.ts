import { rmSync } from 'node:fs';
import sharp from 'sharp';
import type { Rendition } from '../store/uploads.js';
import { isDiskFull, uploadErrors } from './errors.js';
import type { ImageType } from './images.js';

/**
 * Smaller copies of an upload, so a phone on a train downloads a 480 px WebP rather than the
 * 4,000 px JPEG from the photographer's camera. Made from the normalized image (already turned
 * the right way up, in sRGB, without metadata), at each of RENDITION_WIDTHS narrower than the
 * image (never upscaled), in WebP and in the image's own format; an image no wider than the
 * largest width also gets a full-size WebP. Files are named after the original's SHA-256 and the
 * width, `<sha256>-<width>.<ext>`, so the same image always has the same renditions, they are
 * served (and cached for ever) like the original, and collection finds them by name.
 *
 * GIFs (usually animations, whose frames a resize would have to re-quantise) and animated WebPs
 * get none: they are shown as uploaded.
 */
export const RENDITION_WIDTHS = [480, 960, 1600] as const;

const FORMATS = {
  webp: { ext: 'webp', mimeType: 'image/webp' },
  jpeg: { ext: 'jpg', mimeType: 'image/jpeg' },
  png: { ext: 'png', mimeType: 'image/png' },
} as const;

type RenditionFormat = keyof typeof FORMATS;

/** A rendition written under `.incoming/`, waiting for its name. */
export type MadeRendition = { path: string; rendition: Rendition };

/** The renditions `type` at `width` gets: a width and a format each. */
export function renditionPlan(type: ImageType, width: number, animated: boolean): { width: number; format: RenditionFormat }[] {
  if (type.format === 'gif' || animated) return [];
  const own: RenditionFormat[] = type.format === 'webp' ? ['webp'] : [type.format, 'webp'];
  const plan: { width: number; format: RenditionFormat }[] = RENDITION_WIDTHS.filter((w) => w < width).flatMap((w) => own.map((format) => ({ width: w, format })));
  if (type.format !== 'webp' && width <= RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]!) plan.push({ width, format: 'webp' });
  return plan;
}

/**
 * Writes the renditions of the normalized image at `input` to fresh paths from `temporaryPath`.
 * On any failure every file written so far is removed.
 */
export async function makeRenditions(
  input: string,
  type: ImageType,
  image: { sha256: string; width: number; animated: boolean },
  temporaryPath: (suffix: string) => string,
): Promise<MadeRendition[]> {
  const made: MadeRendition[] = [];
  try {
    for (const { width, format } of renditionPlan(type, image.width, image.animated)) {
      const path = temporaryPath(`.${FORMATS[format].ext}`);
      made.push({ path, rendition: { fileName: '', width: 0, height: 0, mimeType: '', size: 0 } });
      const resized = sharp(input, { failOn: 'none' }).resize({ width, withoutEnlargement: true });
      const encoded = format === 'webp' ? resized.webp({ quality: 80 }) : format === 'jpeg' ? resized.jpeg({ quality: 82, mozjpeg: true }) : resized.png();
      const info = await encoded.toFile(path);
      made[made.length - 1]!.rendition = {
        fileName: `${image.sha256}-${width}.${FORMATS[format].ext}`,
        width: info.width,
        height: info.height,
        mimeType: FORMATS[format].mimeType,
        size: info.size,
      };
    }
  } catch (error) {
    for (const { path } of made) rmSync(path, { force: true });
    throw isDiskFull(error) ? uploadErrors.diskFull() : uploadErrors.invalid(type);
  }
  return made;
}
