import type { Db } from '../db/connection.js';

/** A smaller copy of an upload, stored beside it (media/renditions.ts). */
export type Rendition = { fileName: string; width: number; height: number; mimeType: string; size: number };

export type Upload = {
  sha256: string;
  fileName: string;
  mimeType: string;
  size: number;
  createdAt: string;
  /** As shown (EXIF orientation applied); null for uploads stored before dimensions were recorded. */
  width: number | null;
  height: number | null;
  renditions: Rendition[];
};

type UploadRow = Omit<Upload, 'renditions'> & { renditions: string };

const COLUMNS = 'sha256, file_name AS fileName, mime_type AS mimeType, size, created_at AS createdAt, width, height, renditions';

const fromRow = (row: UploadRow | undefined): Upload | undefined => row && { ...row, renditions: JSON.parse(row.renditions) as Rendition[] };

/**
 * SQL for uploaded images. A second upload of the same bytes finds the first row, which stays
 * charged to the person who uploaded them first, and restarts its grace period (collection); a row
 * stored before renditions existed gets its dimensions and renditions then.
 */
export class UploadStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO uploads (sha256, file_name, mime_type, size, uploaded_by, created_at, last_uploaded_at, width, height, renditions, renditions_bytes)
        VALUES (:sha256, :fileName, :mimeType, :size, :userId, :now, :now, :width, :height, :renditions, :renditionsBytes)
        ON CONFLICT (sha256) DO UPDATE SET last_uploaded_at = excluded.last_uploaded_at,
          width = coalesce(width, excluded.width), height = coalesce(height, excluded.height),
          renditions_bytes = CASE WHEN renditions = '[]' THEN excluded.renditions_bytes ELSE renditions_bytes END,
          renditions = CASE WHEN renditions = '[]' THEN excluded.renditions ELSE renditions END`),
      byHash: db.prepare(`SELECT ${COLUMNS} FROM uploads WHERE sha256 = ?`),
      byFileName: db.prepare(`SELECT ${COLUMNS} FROM uploads WHERE file_name = ?`),
      // Renditions take room on the disk like their original: the quotas count both.
      usage: db.prepare(
        `SELECT coalesce(sum(CASE WHEN uploaded_by = ? THEN size + renditions_bytes END), 0) AS userBytes, coalesce(sum(size + renditions_bytes), 0) AS totalBytes FROM uploads`,
      ),
      lastUploadedBefore: db.prepare('SELECT file_name FROM uploads WHERE last_uploaded_at < ?').pluck(),
      // Every text that can bring an upload back onto a page: entries (deleted ones can be
      // restored), every revision (a restore brings an old body back), and posts' descriptions,
      // cover images and imported front matter, and the site's logo. Only texts that mention `marker` at all are read.
      textsMentioning: db
        .prepare(
          `SELECT body FROM entries WHERE instr(body, :marker) > 0
           UNION ALL SELECT body FROM entry_revisions WHERE instr(body, :marker) > 0
           UNION ALL SELECT description FROM posts WHERE instr(description, :marker) > 0
           UNION ALL SELECT cover_image FROM posts WHERE instr(cover_image, :marker) > 0
           UNION ALL SELECT front_matter FROM posts WHERE instr(front_matter, :marker) > 0
           UNION ALL SELECT logo FROM site_settings WHERE instr(logo, :marker) > 0
           UNION ALL SELECT avatar FROM user_profiles WHERE instr(avatar, :marker) > 0`,
        )
        .pluck(),
      renditionsOf: db.prepare('SELECT renditions FROM uploads WHERE file_name = ?').pluck(),
      delete: db.prepare('DELETE FROM uploads WHERE file_name = ?'),
    };
  }

  insert(upload: Omit<Upload, 'createdAt'>, userId: number, now: string): Upload {
    const renditionsBytes = upload.renditions.reduce((sum, rendition) => sum + rendition.size, 0);
    this.statements.insert.run({ ...upload, renditions: JSON.stringify(upload.renditions), renditionsBytes, userId, now });
    return this.byHash(upload.sha256)!;
  }

  byFileName(fileName: string): Upload | undefined {
    return fromRow(this.statements.byFileName.get(fileName) as UploadRow | undefined);
  }

  byHash(sha256: string): Upload | undefined {
    return fromRow(this.statements.byHash.get(sha256) as UploadRow | undefined);
  }

  /** Bytes stored (renditions included): those first uploaded by `userId`, and all of them (for the upload quotas). */
  usage(userId: number): { userBytes: number; totalBytes: number } {
    return this.statements.usage.get(userId) as { userBytes: number; totalBytes: number };
  }

  /** File names of uploads nobody has uploaded again since `cutoff`. */
  lastUploadedBefore(cutoff: string): string[] {
    return this.statements.lastUploadedBefore.all(cutoff) as string[];
  }

  /** Texts that mention `marker`, one at a time (the connection is busy until the loop ends). */
  textsMentioning(marker: string): IterableIterator<string> {
    return this.statements.textsMentioning.iterate({ marker }) as IterableIterator<string>;
  }

  /** Deletes the row; returns the file names of its renditions, which go with it. */
  delete(fileName: string): string[] {
    const renditions = this.statements.renditionsOf.get(fileName) as string | undefined;
    this.statements.delete.run(fileName);
    return renditions ? (JSON.parse(renditions) as Rendition[]).map((rendition) => rendition.fileName) : [];
  }
}
