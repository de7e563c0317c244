import type { Db } from '../db/connection.js';

export type Upload = { sha256: string; fileName: string; mimeType: string; size: number; createdAt: string };

/**
 * SQL for uploaded images. A second upload of the same bytes finds the first row, which stays
 * charged to the person who uploaded them first.
 */
export class UploadStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO uploads (sha256, file_name, mime_type, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (sha256) DO NOTHING`),
      byHash: db.prepare('SELECT sha256, file_name AS fileName, mime_type AS mimeType, size, created_at AS createdAt FROM uploads WHERE sha256 = ?'),
      byFileName: db.prepare('SELECT sha256, file_name AS fileName, mime_type AS mimeType, size, created_at AS createdAt FROM uploads WHERE file_name = ?'),
      usage: db.prepare(`SELECT coalesce(sum(CASE WHEN uploaded_by = ? THEN size END), 0) AS userBytes, coalesce(sum(size), 0) AS totalBytes FROM uploads`),
    };
  }

  insert(upload: Omit<Upload, 'createdAt'>, userId: number, now: string): Upload {
    this.statements.insert.run(upload.sha256, upload.fileName, upload.mimeType, upload.size, userId, now);
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
}
