import type { Byline, Profile } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/**
 * SQL for byline profiles (migration 0013, user_profiles): a display name, a role title and an
 * avatar per person. A person without a row has the account's name and nothing else. The
 * newsroom's list of names (`@name` in the composer) comes from here too, without emails.
 */
type ProfileRow = { id: number; name: string; display_name: string | null; job_title: string | null; avatar: string | null };

export class ProfileStore {
  private readonly statements;
  /**
   * Changes whenever a byline does: pages put it in their ETag (and so their cache key), because a
   * page reads bylines as they are now, not as the post's change log last saw them.
   */
  version: number;

  constructor(db: Db) {
    this.statements = {
      byId: db.prepare(`SELECT u.id, u.name, p.display_name, p.job_title, p.avatar FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ?`),
      upsert: db.prepare(`INSERT INTO user_profiles (user_id, display_name, job_title, avatar, updated_at) VALUES (@id, @displayName, @jobTitle, @avatar, @now)
        ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, job_title = excluded.job_title, avatar = excluded.avatar, updated_at = excluded.updated_at`),
      people: db.prepare(`SELECT u.id, u.name, p.display_name, p.job_title, p.avatar FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
        WHERE u.disabled_at IS NULL ORDER BY COALESCE(p.display_name, u.name) COLLATE NOCASE, u.id LIMIT 500`),
    };
    // From the start-up time: a page's ETag from before a restart never matches bylines saved since.
    this.version = Date.now();
  }

  byId(id: number): Profile | undefined {
    const row = this.statements.byId.get(id) as ProfileRow | undefined;
    return row && { id: row.id, accountName: row.name, displayName: row.display_name, jobTitle: row.job_title, avatar: row.avatar };
  }

  save(profile: Pick<Profile, 'id' | 'displayName' | 'jobTitle' | 'avatar'>, now: string): Profile {
    this.statements.upsert.run({ ...profile, now });
    this.version += 1;
    return this.byId(profile.id)!;
  }

  /** Active people as bylines, by name: who may be credited on an entry. */
  people(): Byline[] {
    return (this.statements.people.all() as ProfileRow[]).map((row) => ({ id: row.id, name: row.display_name ?? row.name, jobTitle: row.job_title, avatar: row.avatar }));
  }
}
