import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDiskFull, uploadErrors } from './errors.js';

/**
 * The upload directory: content-addressed files (`<sha256>.<ext>`) served as they are, and
 * `.incoming/`, where a file is written before it has a name. An upload is streamed there chunk by
 * chunk while it is counted, so a 10 MB image never sits in memory and the size limit holds while
 * the bytes arrive; the image written again from it (images.ts) is hashed on its way to disk, and
 * only that complete, accepted file is renamed to its content address (a rename within one
 * directory tree is atomic), so a half-written file is never served. The static server ignores dot-directories, so nothing in `.incoming/` is reachable.
 *
 * The paths readers see, `/uploads/<name>`, are built here and only here: entries reference an
 * upload by that path, and collection (collection.ts) recognises references by the same pattern.
 */
export const UPLOAD_URL_PREFIX = '/uploads/';

/** A stored upload's file name: the SHA-256 of its bytes and the extension of its type. */
export const UPLOAD_FILE_NAME = /^[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/;

export const uploadUrl = (fileName: string) => `${UPLOAD_URL_PREFIX}${fileName}`;

/** A rendition of a stored upload (renditions.ts): `<sha256 of the original>-<width>.<ext>`. */
export const RENDITION_FILE_NAME = /^([0-9a-f]{64})-\d{1,5}\.(?:png|jpg|webp)$/;

/**
 * A reference to a stored upload, or to one of its renditions, inside a text (Markdown, HTML,
 * JSON), relative or absolute. The first group is the original's SHA-256, the second the
 * original's file name when the reference is to the original itself.
 */
export const UPLOAD_REFERENCE = /\/uploads\/([0-9a-f]{64})(?:-\d{1,5})?\.(?:png|jpg|gif|webp)/g;

/** How many leading bytes are kept while streaming: enough to tell the image type. */
const HEAD_BYTES = 16;

export type Received = {
  /** The file under `.incoming/`; the caller discards it. */
  path: string;
  size: number;
  /** The first bytes, for sniffing the type without reading the file again. */
  head: Buffer;
};

export class UploadDirectory {
  readonly incoming: string;

  constructor(readonly root: string) {
    this.incoming = join(root, '.incoming');
    mkdirSync(this.incoming, { recursive: true });
  }

  /** A fresh path under `.incoming/`, never one another request uses. */
  temporaryPath(suffix = ''): string {
    return join(this.incoming, `${randomUUID()}${suffix}`);
  }

  /**
   * Streams `source` into a fresh file under `.incoming/`, counting on the way. More than
   * `maxBytes` stops the stream with 413; on any failure the partial file is removed.
   */
  async receive(source: Readable, maxBytes: number): Promise<Received> {
    const path = this.temporaryPath();
    const meter = new Meter(maxBytes);
    try {
      await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      this.discard(path);
      throw diskErrorOr(error);
    }
    return { path, size: meter.size, head: meter.head };
  }

  /**
   * Gives a file under `.incoming/` its content address. Synchronous on purpose: between the check
   * and the rename nothing else (collection included) can run. The same bytes already stored: one file.
   */
  place(path: string, fileName: string): void {
    const target = join(this.root, fileName);
    if (existsSync(target)) this.discard(path);
    else renameSync(path, target);
  }

  discard(path: string): void {
    rmSync(path, { force: true });
  }

  /** Deletes a stored file; one already gone is fine. */
  remove(fileName: string): void {
    this.discard(join(this.root, fileName));
  }

  /** The stored files (originals and renditions), with when each was last written. */
  stored(): { fileName: string; modifiedMs: number }[] {
    return this.list(this.root).filter((file) => UPLOAD_FILE_NAME.test(file.fileName) || RENDITION_FILE_NAME.test(file.fileName));
  }

  /** What is in `.incoming/`: files being received, or left by a crash. */
  receiving(): { fileName: string; modifiedMs: number }[] {
    return this.list(this.incoming);
  }

  /** Deletes a file from `.incoming/`. */
  abandon(fileName: string): void {
    this.discard(join(this.incoming, fileName));
  }

  private list(dir: string): { fileName: string; modifiedMs: number }[] {
    return readdirSync(dir, { withFileTypes: true })
      .filter((item) => item.isFile())
      .flatMap((item) => {
        try {
          return [{ fileName: item.name, modifiedMs: statSync(join(dir, item.name)).mtimeMs }];
        } catch {
          return []; // gone since the listing
        }
      });
  }

  /** Bytes an unprivileged writer may still use on this directory's disk; undefined where the platform cannot tell. */
  freeBytes(): number | undefined {
    try {
      const stats = statfsSync(this.root);
      return stats.bavail * stats.bsize;
    } catch {
      return undefined;
    }
  }
}

/** Counts, hashes and keeps the first bytes of a stream as it passes; fails past `maxBytes`. */
export class Meter extends Transform {
  size = 0;
  head = Buffer.alloc(0);
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes = Infinity) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(uploadErrors.tooLarge(this.maxBytes));
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    this.hash.update(chunk);
    done(null, chunk);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** A full disk while writing is the server's condition (507), not a broken request. */
function diskErrorOr(error: unknown): unknown {
  return isDiskFull(error) ? uploadErrors.diskFull() : error;
}
