import type { Db } from '../db/connection.js';

export type AuditRecord = { id: number; actorId: number | null; action: string; subjectId: number | null; detail: Record<string, unknown>; createdAt: string };

/** SQL for the audit log of account and token changes (entries and posts have their change log). */
export class AuditStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare('INSERT INTO audit_log (actor_id, action, subject_id, detail, created_at) VALUES (?, ?, ?, ?, ?)'),
      recent: db.prepare('SELECT id, actor_id AS actorId, action, subject_id AS subjectId, detail, created_at AS createdAt FROM audit_log ORDER BY id DESC LIMIT ?'),
    };
  }

  record(actorId: number | null, action: string, subjectId: number | null, detail: Record<string, unknown> = {}): void {
    this.statements.insert.run(actorId, action, subjectId, JSON.stringify(detail), new Date().toISOString());
  }

  recent(limit = 100): AuditRecord[] {
    return (this.statements.recent.all(limit) as (Omit<AuditRecord, 'detail'> & { detail: string })[]).map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
  }
}
