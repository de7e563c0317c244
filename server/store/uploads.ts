import type { Db } from '../db/connection.js';

export type Upload = { sha256: string; fileName: string; mimeType: string; size: number; createdAt: string };

const COLUMNS = 'sha256, file_name AS fileName, mime_type AS mimeType, size, created_at AS createdAt';

/**
 * SQL for uploaded images. A second upload of the same bytes finds the first row, which stays
 * charged to the person who uploaded them first, and restarts its grace period (collection).
 */
export class UploadStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO uploads (sha256, file_name, mime_type, size, uploaded_by, created_at, last_uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (sha256) DO UPDATE SET last_uploaded_at = excluded.last_uploaded_at`),
      byHash: db.prepare(`SELECT ${COLUMNS} FROM uploads WHERE sha256 = ?`),
      byFileName: db.prepare(`SELECT ${COLUMNS} FROM uploads WHERE file_name = ?`),
      usage: db.prepare(`SELECT coalesce(sum(CASE WHEN uploaded_by = ? THEN size END), 0) AS userBytes, coalesce(sum(size), 0) AS totalBytes FROM uploads`),
      lastUploadedBefore: db.prepare('SELECT file_name FROM uploads WHERE last_uploaded_at < ?').pluck(),
      // Every text that can bring an upload back onto a page: entries (deleted ones can be
      // restored), every revision (a restore brings an old body back), and posts' descriptions
      // and imported front matter, and the site's logo. Only texts that mention `marker` at all are read.
      textsMentioning: db
        .prepare(
          `SELECT body FROM entries WHERE instr(body, :marker) > 0
           UNION ALL SELECT body FROM entry_revisions WHERE instr(body, :marker) > 0
           UNION ALL SELECT description FROM posts WHERE instr(description, :marker) > 0
           UNION ALL SELECT front_matter FROM posts WHERE instr(front_matter, :marker) > 0
           UNION ALL SELECT logo FROM site_settings WHERE instr(logo, :marker) > 0
           UNION ALL SELECT avatar FROM user_profiles WHERE instr(avatar, :marker) > 0`,
        )
        .pluck(),
      delete: db.prepare('DELETE FROM uploads WHERE file_name = ?'),
    };
  }

  insert(upload: Omit<Upload, 'createdAt'>, userId: number, now: string): Upload {
    this.statements.insert.run(upload.sha256, upload.fileName, upload.mimeType, upload.size, userId, now, now);
    return this.statements.byHash.get(upload.sha256) as Upload;
  }

  byFileName(fileName: string): Upload | undefined {
    return this.statements.byFileName.get(fileName) as Upload | undefined;
  }

  byHash(sha256: string): Upload | undefined {
    return this.statements.byHash.get(sha256) as Upload | undefined;
  }

  /** Bytes stored: those first uploaded by `userId`, and all of them (for the upload quotas). */
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

  delete(fileName: string): void {
    this.statements.delete.run(fileName);
  }
}
