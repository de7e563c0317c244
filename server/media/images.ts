import { createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { isDiskFull, uploadErrors } from './errors.js';
import { Meter } from './storage.js';

/**
 * Which images Liveline takes, and what it makes of them. The type is read from the bytes
 * themselves, never from the client's file name or Content-Type, so an HTML or SVG file renamed
 * to .png is refused before the decoder (which would read SVG, TIFF or PDF) ever sees it; then the
 * image is decoded, bounded and written again (normalizeImage).
 */
export const IMAGE_TYPES = [
  { mimeType: 'image/png', ext: 'png', format: 'png', label: 'PNG', matches: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mimeType: 'image/jpeg', ext: 'jpg', format: 'jpeg', label: 'JPEG', matches: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/gif', ext: 'gif', format: 'gif', label: 'GIF', matches: (b: Buffer) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { mimeType: 'image/webp', ext: 'webp', format: 'webp', label: 'WebP', matches: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

/** The image type of a file from its first bytes (16 are enough), or undefined. */
export function sniffImage(head: Buffer): ImageType | undefined {
  return IMAGE_TYPES.find((type) => type.matches(head));
}

/** The largest image taken: a side, and pixels in all (every frame of an animation counted). */
export const IMAGE_LIMITS = { maxSide: 12_000, maxPixels: 50_000_000 } as const;

// Decoded images are not worth caching (each upload is new), and a cached file input would keep
// a deleted `.incoming/` file open, its disk space still taken.
sharp.cache(false);

export type Normalized = { size: number; sha256: string; width: number; height: number; animated: boolean };

/**
 * Decodes the received image and writes it again to `output`, hashing on the way (security
 * review L7). Decoding is what tells an image from a file that only starts like one, and the
 * dimensions are bounded before any pixel is decoded: a PNG of a few hundred bytes can claim
 * 100,000 × 100,000 pixels, tens of gigabytes once decoded (a decompression bomb). Writing it
 * again strips every piece of metadata (EXIF with the camera's GPS position, XMP, IPTC, comments) while the
 * EXIF orientation is applied to the pixels, so the photo still stands the right way up; colours
 * are converted to sRGB. The stored bytes are therefore not the uploaded ones, and the content
 * address is that of the stored bytes. JPEG and WebP are written again at quality 90; PNG and
 * GIF are lossless; animations keep their frames, delays and loop count.
 */
export async function normalizeImage(input: string, type: ImageType, output: string): Promise<Normalized> {
  let header: Metadata;
  try {
    // The header only, whatever it claims, so a refusal can say what the image claims to be.
    header = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw uploadErrors.invalid(type);
  }
  if (header.format !== type.format) throw uploadErrors.invalid(type);
  const frames = header.pages ?? 1;
  if (header.width > IMAGE_LIMITS.maxSide || header.height > IMAGE_LIMITS.maxSide || header.width * header.height * frames > IMAGE_LIMITS.maxPixels) {
    throw uploadErrors.dimensions(header.width, header.height, frames, IMAGE_LIMITS);
  }
  const animated = frames > 1;
  const image = sharp(input, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'warning', animated, autoOrient: !animated });
  const meter = new Meter();
  try {
    await pipeline(encode(image, type), meter, createWriteStream(output, { flags: 'wx' }));
  } catch (error) {
    rmSync(output, { force: true });
    // The disk failing is the server's trouble; anything else is the image's.
    throw isDiskFull(error) ? uploadErrors.diskFull() : uploadErrors.invalid(type);
  }
  const shown = animated ? header : header.autoOrient;
  return { size: meter.size, sha256: meter.sha256(), width: shown.width, height: shown.height, animated };
}

function encode(image: Sharp, type: ImageType): Sharp {
  switch (type.format) {
    case 'png':
      return image.png();
    case 'jpeg':
      return image.jpeg({ quality: 90 });
    case 'webp':
      return image.webp({ quality: 90 });
    case 'gif':
      return image.gif();
  }
}
