import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * Images for the upload tests, built by hand so a test says exactly what is in the file: real
 * PNGs of random pixels (which do not compress, so their size is known in advance and every one
 * is new bytes) and PNGs whose header claims what the data does not deliver (a decompression bomb).
 */

/** A 1×1 transparent PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export function multipart(fileName: string, contentType: string, bytes: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----liveline' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An 8-bit RGB PNG of random pixels: about width × height × 3 bytes, different every call. */
export function noisePng(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  const pixels = randomBytes(width * 3 * height);
  for (let y = 0; y < height; y++) pixels.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3); // filter byte 0: none
  return pngFile(width, height, deflateSync(rows, { level: 1 }));
}

/** A PNG that claims `width` × `height` pixels but carries one row of data: a decompression bomb's header. */
export function claimedPng(width: number, height: number): Buffer {
  return pngFile(width, height, deflateSync(Buffer.alloc(64)));
}

/**
 * A complete, valid black-and-white PNG of `width` × `height` pixels, every one of them black: one
 * bit a pixel, all zeros (filter bytes included), compresses about a thousand to one, so
 * 30,000 × 30,000 pixels (900 megapixels, 3.6 GB once decoded to RGBA) fit in about 110 KB. A
 * real decompression bomb, not just a header.
 */
export function bombPng(width: number, height: number): Buffer {
  const rows = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 (none), black pixels
  return pngFile(width, height, deflateSync(rows, { level: 9 }), [1, 0]);
}

function pngFile(width: number, height: number, idat: Buffer, [bitDepth, colourType] = [8, 2]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colourType, 0, 0, 0], 8); // by default 8 bits, RGB; deflate, adaptive filtering, no interlace
  return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
