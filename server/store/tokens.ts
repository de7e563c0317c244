import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { Actor, Role } from '../../contract/index.js';

export type TokenInfo = { id: number; name: string; role: Role; userId: number; userName: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

/** Tokens are 256-bit random secrets, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** SQL for users and their API tokens. */
export class TokenStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insertUser: db.prepare('INSERT INTO users (name, role, created_at) VALUES (?, ?, ?) RETURNING id'),
      insertToken: db.prepare('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id'),
      actorByHash: db.prepare(`SELECT u.id, u.name, u.role, t.id AS tokenId, t.last_used_at AS lastUsedAt FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`),
      markUsed: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
      list: db.prepare(`SELECT t.id, t.name, u.role, u.id AS userId, u.name AS userName, t.created_at AS createdAt, t.last_used_at AS lastUsedAt, t.revoked_at AS revokedAt
        FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id`),
      revoke: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    };
  }

  /** Creates a user of that role with one token; the secret is returned once and never stored. */
  create(name: string, role: Role, now: string): { token: string; id: number; userId: number } {
    const token = `ll_${randomBytes(32).toString('base64url')}`;
    return this.db.transaction(() => {
      const { id: userId } = this.statements.insertUser.get(name, role, now) as { id: number };
      const { id } = this.statements.insertToken.get(userId, name, hashToken(token), now) as { id: number };
      return { token, id, userId };
    })();
  }

  /** A new token for an existing user (the admin UI); the secret is returned once. */
  createForUser(userId: number, name: string, now: string): { token: string; id: number } {
    const token = `ll_${randomBytes(32).toString('base64url')}`;
    const { id } = this.statements.insertToken.get(userId, name, hashToken(token), now) as { id: number };
    return { token, id };
  }

  /** The actor a token acts as, or undefined for an unknown, revoked or disabled one. */
  authenticate(token: string, now: string): Actor | undefined {
    const row = this.statements.actorByHash.get(hashToken(token)) as (Actor & { tokenId: number; lastUsedAt: string | null }) | undefined;
    if (!row) return undefined;
    // Recording use at most once a minute keeps hot write paths from writing twice.
    if (!row.lastUsedAt || Date.parse(now) - Date.parse(row.lastUsedAt) > 60_000) this.statements.markUsed.run(now, row.tokenId);
    return { id: row.id, name: row.name, role: row.role };
  }

  list(): TokenInfo[] {
    return this.statements.list.all() as TokenInfo[];
  }

  revoke(id: number, now: string): boolean {
    return this.statements.revoke.run(now, id).changes === 1;
  }
}
