import type { Db } from '../db/connection.js';
import type { UploadStore } from '../store/uploads.js';
import { RENDITION_FILE_NAME, UPLOAD_REFERENCE, UPLOAD_URL_PREFIX, type UploadDirectory } from './storage.js';

/** The SHA-256 an upload's or a rendition's file name starts with. */
const shaOf = (fileName: string) => fileName.slice(0, 64);

/**
 * Collecting uploads nothing uses (security review M10): without it every image ever uploaded,
 * used or not, stays on the disk and in its owner's quota. An upload is kept while any entry
 * (deleted ones too: they can be restored), any revision (a restore brings an old body back), a
 * post's description or front matter, or the site's logo (site_settings) mentions
 * `/uploads/<its file name>` (or one of its renditions' names), and always for a grace period after it was last uploaded, so an
 * image dropped into the composer a minute ago, not yet published, is never taken. Its row, its
 * file and its renditions' files all go.
 *
 * The reading of references and the deletion of rows are one IMMEDIATE transaction: no write, from
 * this process or a CLI beside it, can add a reference in between. Files are deleted after the
 * commit; a crash in between leaves a file without a row, which the next run deletes once it is
 * older than the grace period, as it does with files in `.incoming/` that a crash left behind.
 * Everything here is synchronous, so no upload in this process runs halfway through it: an
 * upload's check, rename and row are synchronous too (uploads.ts).
 */
export type CollectionReport = {
  /** Uploads whose row and file were deleted. */
  unused: string[];
  /** Stored files without a row (a crash between rename and row, or between commit and delete). */
  orphans: string[];
  /** Files left in `.incoming/`. */
  abandoned: string[];
};

export function collectUnusedUploads(db: Db, uploads: UploadStore, directory: UploadDirectory, graceMs: number, now = Date.now()): CollectionReport {
  const cutoffMs = now - graceMs;
  const unused = db
    .transaction(() => {
      const candidates = uploads.lastUploadedBefore(new Date(cutoffMs).toISOString());
      if (candidates.length === 0) return [];
      // A text that shows only a rendition (someone copied its URL) keeps the original too.
      const referenced = new Set<string>();
      for (const text of uploads.textsMentioning(UPLOAD_URL_PREFIX)) {
        for (const reference of text.matchAll(UPLOAD_REFERENCE)) referenced.add(reference[1]!);
      }
      const unused = candidates.filter((fileName) => !referenced.has(shaOf(fileName)));
      // Renditions go with their original: the row says which there are.
      return unused.map((fileName) => ({ fileName, renditions: uploads.delete(fileName) }));
    })
    .immediate();
  for (const { fileName, renditions } of unused) {
    directory.remove(fileName);
    for (const rendition of renditions) directory.remove(rendition);
  }

  const orphans = directory
    .stored()
    // A rendition is an orphan when its original has no row.
    .filter((file) => file.modifiedMs < cutoffMs && !(RENDITION_FILE_NAME.test(file.fileName) ? uploads.byHash(shaOf(file.fileName)) : uploads.byFileName(file.fileName)))
    .map((file) => file.fileName);
  for (const fileName of orphans) directory.remove(fileName);

  const abandoned = directory
    .receiving()
    .filter((file) => file.modifiedMs < cutoffMs)
    .map((file) => file.fileName);
  for (const fileName of abandoned) directory.abandon(fileName);

  return { unused: unused.map((upload) => upload.fileName), orphans, abandoned };
}
