import type { Role } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

export type User = { id: number; name: string; email: string | null; role: Role; createdAt: string; disabledAt: string | null; hasPassword: boolean };
export type UserCredentials = { id: number; name: string; role: Role; passwordHash: string | null; disabledAt: string | null };

type UserRow = { id: number; name: string; email: string | null; role: Role; created_at: string; disabled_at: string | null; password_hash: string | null };

function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, email: row.email, role: row.role, createdAt: row.created_at, disabledAt: row.disabled_at, hasPassword: row.password_hash !== null };
}

/** SQL for people: accounts with a password (the newsroom UI) and token-only script users. */
export class UserStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      count: db.prepare('SELECT count(*) AS n FROM users'),
      insert: db.prepare(`INSERT INTO users (name, email, role, password_hash, created_at) VALUES (@name, @email, @role, @passwordHash, @now) RETURNING *`),
      byId: db.prepare('SELECT * FROM users WHERE id = ?'),
      byEmail: db.prepare('SELECT * FROM users WHERE email = ? COLLATE NOCASE'),
      list: db.prepare('SELECT * FROM users ORDER BY disabled_at IS NOT NULL, name COLLATE NOCASE, id'),
      setRole: db.prepare('UPDATE users SET role = ? WHERE id = ? RETURNING *'),
      setDisabled: db.prepare('UPDATE users SET disabled_at = ? WHERE id = ? RETURNING *'),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    };
  }

  /**
   * Every user, token-only ones included. /setup exists only while this is 0: an install that
   * already has users (even script tokens) must create accounts with the CLI, so an upgraded
   * public server never offers its admin account to the first visitor.
   */
  count(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  create(user: { name: string; email: string; role: Role; passwordHash: string }, now: string): User {
    return toUser(this.statements.insert.get({ ...user, now }) as UserRow);
  }

  byId(id: number): User | undefined {
    const row = this.statements.byId.get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  credentials(email: string): UserCredentials | undefined {
    const row = this.statements.byEmail.get(email) as UserRow | undefined;
    return row && { id: row.id, name: row.name, role: row.role, passwordHash: row.password_hash, disabledAt: row.disabled_at };
  }

  list(): User[] {
    return (this.statements.list.all() as UserRow[]).map(toUser);
  }

  setRole(id: number, role: Role): User | undefined {
    const row = this.statements.setRole.get(role, id) as UserRow | undefined;
    return row && toUser(row);
  }

  setDisabled(id: number, disabledAt: string | null): User | undefined {
    const row = this.statements.setDisabled.get(disabledAt, id) as UserRow | undefined;
    return row && toUser(row);
  }

  setPassword(id: number, passwordHash: string): void {
    this.statements.setPassword.run(passwordHash, id);
  }
}
