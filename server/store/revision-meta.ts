import type { Claim, PersonRef, StoredEntry } from '../../contract/index.js';
import type { Db } from '../db/connection.js';
import { BYLINE_NAME } from './entry-meta.js';

/**
 * SQL for what a revision keeps of an entry's issue-17 fields (migration 0018's
 * `entry_revision_meta`, one row per revision, written with it by EntryStore.recordRevision), so
 * the history view shows "Headline: old → new" and a restore can bring the fields back. A
 * revision without a row was saved before 0018: its fields are unknown and it carries none.
 */

export type RevisionMeta = {
  headline: string | null;
  authors: PersonRef[];
  location: string | null;
  tags: string[];
  claim: Claim | null;
  correction: string | null;
};

/** A credited person's byline name (a module constant: SQL is only built from constants). */
const PERSON_NAME = BYLINE_NAME('u', 'p');

type Row = { version: number; headline: string | null; location: string | null; tags: string; claim: Claim | null; correction_note: string | null; authors_json: string };

export class RevisionMetaStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO entry_revision_meta (revision_id, headline, location, tags, claim, authors, correction_note)
        VALUES (@revisionId, @headline, @location, @tags, @claim, @authors, @correctionNote)`),
      // Authors by their byline name today (a renamed person shows their present name in old versions too).
      ofEntry: db.prepare(`SELECT r.version, m.headline, m.location, m.tags, m.claim, m.correction_note,
          (SELECT json_group_array(json_object('id', u.id, 'name', ${PERSON_NAME}) ORDER BY j.key) FROM json_each(m.authors) j
            JOIN users u ON u.id = j.value LEFT JOIN user_profiles p ON p.user_id = u.id) AS authors_json
        FROM entry_revisions r JOIN entry_revision_meta m ON m.revision_id = r.id WHERE r.entry_id = ?`),
    };
  }

  /** Keeps the entry's fields as they are at this revision (called in the revision's own statement's transaction). */
  record(revisionId: number, entry: StoredEntry): void {
    const authors = entry.authors?.length ? entry.authors.map((person) => person.id) : entry.author ? [entry.author.id] : [];
    this.statements.insert.run({
      revisionId,
      headline: entry.headline ?? null,
      location: entry.location ?? null,
      tags: JSON.stringify(entry.tags ?? []),
      claim: entry.claim ?? null,
      authors: JSON.stringify(authors),
      correctionNote: entry.correction?.note ?? null,
    });
  }

  /** The fields each known revision of an entry saved, by version. */
  ofEntry(entryId: number): Map<number, RevisionMeta> {
    const rows = this.statements.ofEntry.all(entryId) as Row[];
    return new Map(
      rows.map((row) => [
        row.version,
        {
          headline: row.headline,
          authors: JSON.parse(row.authors_json) as PersonRef[],
          location: row.location,
          tags: JSON.parse(row.tags) as string[],
          claim: row.claim,
          correction: row.correction_note,
        },
      ]),
    );
  }
}
