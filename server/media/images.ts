/**
 * Which images Liveline takes. The type is read from the bytes themselves, never from the
 * client's file name or Content-Type, so an HTML or SVG file renamed to .png is refused before
 * anything else looks at it.
 */
export const IMAGE_TYPES = [
  { mimeType: 'image/png', ext: 'png', matches: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mimeType: 'image/jpeg', ext: 'jpg', matches: (b: Buffer) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mimeType: 'image/gif', ext: 'gif', matches: (b: Buffer) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  { mimeType: 'image/webp', ext: 'webp', matches: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

/** The image type of a file from its first bytes (16 are enough), or undefined. */
export function sniffImage(head: Buffer): ImageType | undefined {
  return IMAGE_TYPES.find((type) => type.matches(head));
}
