import { AppError } from '../domain/errors.js';

/**
 * Every way an upload can be refused, each with a stable problem type, so the route, the quota
 * check and the image decoder answer alike and the newsroom can show `detail` as it is. The sizes
 * and limits in a message come from the caller, which owns them.
 */
const MB = 1024 * 1024;

/** Bytes as an operator writes them: whole megabytes, or one decimal below ten. */
export function megabytes(bytes: number): string {
  const value = bytes / MB;
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} MB`;
}

export const uploadErrors = {
  tooLarge: (maxBytes: number) => new AppError(413, 'image-too-large', 'Payload too large', `Images may be at most ${megabytes(maxBytes)}.`),
  unsupported: () => new AppError(422, 'unsupported-image', 'Unprocessable content', 'Only PNG, JPEG, GIF and WebP images can be uploaded; this file is none of them.'),
  /** It starts like an image of `type` but does not decode as one (broken, truncated, disguised). */
  invalid: (type: { label: string }) =>
    new AppError(422, 'invalid-image', 'Unprocessable content', `This file starts like a ${type.label} image but cannot be read as one; it may be damaged.`),
  dimensions: (width: number, height: number, frames: number, limits: { maxSide: number; maxPixels: number }) =>
    new AppError(
      422,
      'image-dimensions-too-large',
      'Unprocessable content',
      `This image is ${width.toLocaleString('en')} × ${height.toLocaleString('en')} pixels${frames > 1 ? ` in ${frames} frames` : ''}; images may be at most ${limits.maxSide.toLocaleString('en')} pixels a side and ${limits.maxPixels / 1_000_000} megapixels in all.`,
      { width, height, frames, maxSide: limits.maxSide, maxPixels: limits.maxPixels },
    ),
  /** The disk itself ran out while the file was being written (ENOSPC/EDQUOT). */
  diskFull: () => new AppError(507, 'upload-storage-full', 'Insufficient storage', 'The server has no room for this image right now; nothing was stored.'),
};

/** A write that failed because the disk (or the writer's disk quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
