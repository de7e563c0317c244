import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Actor } from '../../contract/index.js';

export type SessionActor = { actor: Actor; csrfToken: string; expiresAt: string };

/** The cookie carries a 256-bit secret; only its SHA-256 is stored. */
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** SQL for server-side login sessions. Deleting a row ends the session on every device at once. */
export class SessionStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      lookup: db.prepare(`SELECT u.id, u.name, u.role, s.csrf_token AS csrfToken, s.expires_at AS expiresAt, s.last_seen_at AS lastSeenAt
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`),
      touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
      delete: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      deleteForUser: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
      purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  create(userId: number, now: Date, ttlMs: number, userAgent = ''): { secret: string; csrfToken: string; expiresAt: string } {
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    this.statements.insert.run(hashSecret(secret), userId, csrfToken, now.toISOString(), now.toISOString(), expiresAt, userAgent.slice(0, 300));
    return { secret, csrfToken, expiresAt };
  }

  /** The session's actor, or undefined when unknown, expired, logged out or the user is disabled. */
  lookup(secret: string, now: string): SessionActor | undefined {
    const idHash = hashSecret(secret);
    const row = this.statements.lookup.get(idHash, now) as (Actor & { csrfToken: string; expiresAt: string; lastSeenAt: string }) | undefined;
    if (!row) return undefined;
    // Written at most once a minute so reads do not turn into writes.
    if (Date.parse(now) - Date.parse(row.lastSeenAt) > 60_000) this.statements.touch.run(now, idHash);
    return { actor: { id: row.id, name: row.name, role: row.role }, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
  }

  delete(secret: string): void {
    this.statements.delete.run(hashSecret(secret));
  }

  deleteForUser(userId: number): number {
    return this.statements.deleteForUser.run(userId).changes;
  }

  purgeExpired(now: string): number {
    return this.statements.purge.run(now).changes;
  }
}
