/** The vocabulary of ARCHITECTURE.md as TypeScript types: what the API and the socket carry. */

export const ROLES = ['author', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const POST_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

export type Actor = { id: number; name: string; role: Role };

export type Post = {
  id: number;
  slug: string;
  title: string;
  description: string;
  status: PostStatus;
  startsAt: string | null;
  endedAt: string | null;
  timezone: string;
  tags: string[];
  categories: string[];
  version: number;
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
};

export type Entry = {
  id: number;
  postId: number;
  body: string;
  html: string;
  author: { id: number; name: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  keyEvent: boolean;
  pinned: boolean;
  /** The body was changed after it was first published (readers see an "edited" marker). */
  edited: boolean;
};

/** What a deleted entry leaves behind on the wire: enough to remove it, nothing of its content. */
export type EntryTombstone = { id: number; postId: number; version: number; deletedAt: string };

export type Change =
  | { seq: number; type: 'entry.created' | 'entry.updated'; entry: Entry }
  | { seq: number; type: 'entry.deleted'; entry: EntryTombstone }
  | { seq: number; type: 'post.updated'; post: Post };

export type ChangeType = Change['type'];

/** A role may do everything the roles before it may. */
export function hasRole(actor: Actor, needed: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
}

/** Authors may change their own entries; editors and admins any entry. */
export function canModifyEntry(actor: Actor, entry: Pick<Entry, 'author'>): boolean {
  return hasRole(actor, 'editor') || entry.author?.id === actor.id;
}
