import type { Readable } from 'node:stream';
import type { Upload, UploadStore } from '../store/uploads.js';
import { uploadErrors } from './errors.js';
import { normalizeImage, sniffImage } from './images.js';
import { makeRenditions, type MadeRendition } from './renditions.js';
import { assertRoom, type UploadQuota } from './quotas.js';
import type { UploadDirectory } from './storage.js';

/**
 * Taking one image in, from the first byte to its row: room is checked, the bytes are streamed to
 * `.incoming/`, the type is read from them, the image is decoded, bounded and written again
 * without its metadata (images.ts), its renditions are made from that (renditions.ts), and the
 * files get their content addresses and the upload its row (with dimensions and renditions). The HTTP
 * route only unpacks the request and answers; every rule of keeping a file lives here.
 */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export class ImageUploads {
  constructor(
    readonly directory: UploadDirectory,
    private readonly store: UploadStore,
    private readonly quota: UploadQuota,
  ) {}

  /** Before a byte is read: refuses a person with no room left, or a server without any. */
  assertRoomFor(userId: number): void {
    assertRoom(this.quota, this.store.usage(userId), this.directory.freeBytes());
  }

  /**
   * Receives `source` and keeps it. `truncated` tells whether the multipart parser cut the file
   * at its size limit (it ends the stream early rather than failing it).
   */
  async accept(source: Readable, truncated: () => boolean, userId: number, now: string): Promise<Upload> {
    const received = await this.directory.receive(source, UPLOAD_MAX_BYTES);
    const written = this.directory.temporaryPath('.out');
    let renditions: MadeRendition[] = [];
    try {
      if (truncated()) throw uploadErrors.tooLarge(UPLOAD_MAX_BYTES);
      const type = sniffImage(received.head);
      if (!type) throw uploadErrors.unsupported();
      const image = await normalizeImage(received.path, type, written);
      this.directory.discard(received.path);
      renditions = await makeRenditions(written, type, image, (suffix) => this.directory.temporaryPath(suffix));
      const fileName = `${image.sha256}.${type.ext}`;
      const bytes = image.size + renditions.reduce((sum, { rendition }) => sum + rendition.size, 0);
      // From here to the row, synchronous: no other upload (nor collection) runs in between, so
      // two uploads at once cannot both take the last room. The same bytes again cost nothing.
      if (!this.store.byHash(image.sha256)) {
        // The written file already takes its room on the disk: count it back once.
        const free = this.directory.freeBytes();
        assertRoom(this.quota, this.store.usage(userId), free === undefined ? undefined : free + bytes, bytes);
      }
      this.directory.place(written, fileName);
      for (const { path, rendition } of renditions) this.directory.place(path, rendition.fileName);
      return this.store.insert(
        { sha256: image.sha256, fileName, mimeType: type.mimeType, size: image.size, width: image.width, height: image.height, renditions: renditions.map(({ rendition }) => rendition) },
        userId,
        now,
      );
    } finally {
      this.directory.discard(received.path);
      this.directory.discard(written);
      for (const { path } of renditions) this.directory.discard(path);
    }
  }
}
