import type { Actor, Draft, Role } from '../../contract/index.js';
import { hasRole } from './roles.js';

/**
 * Who may do what with an entry before it is public (issue 17). The newsroom shares its drafts:
 * authors and above see and pick up everyone's; a contributor sees and edits only their own,
 * and may submit them, never publish. What a contributor wrote reaches readers only through an
 * editor's approval: an author may publish a colleague's draft, but not a contributor's.
 */

/** Every signed-in role may write drafts; contributors only drafts. */
export function canWriteDrafts(actor: Actor): boolean {
  return hasRole(actor, 'contributor');
}

export function canSeeDraft(actor: Actor, draft: Pick<Draft, 'author'>): boolean {
  return hasRole(actor, 'author') || draft.author.id === actor.id;
}

/**
 * Editors change any draft. Its author changes their own until it is rejected (a submitted one
 * goes back to a draft when they edit it). An author also edits colleagues' drafts and
 * scheduled entries, not what waits for an editor's review or was rejected.
 */
export function canEditDraft(actor: Actor, draft: Pick<Draft, 'author' | 'state'>): boolean {
  if (hasRole(actor, 'editor')) return true;
  if (draft.state === 'rejected') return false;
  if (draft.author.id === actor.id) return true;
  return hasRole(actor, 'author') && (draft.state === 'draft' || draft.state === 'scheduled');
}

/**
 * Publishing (now, or by scheduling it): authors and above, and a draft written by a contributor
 * or waiting for review only by an editor, since that is approving it.
 */
export function canPublishDraft(actor: Actor, draft: Pick<Draft, 'state'>, authorRole: Role | undefined): boolean {
  if (hasRole(actor, 'editor')) return draft.state !== 'rejected';
  if (!hasRole(actor, 'author')) return false;
  return (draft.state === 'draft' || draft.state === 'scheduled') && authorRole !== undefined && authorRole !== 'contributor';
}

/** Approving, returning and rejecting what was submitted: editors. */
export function canReview(actor: Actor): boolean {
  return hasRole(actor, 'editor');
}

/** Its author deletes their own draft; editors any. */
export function canDeleteDraft(actor: Actor, draft: Pick<Draft, 'author'>): boolean {
  return hasRole(actor, 'editor') || draft.author.id === actor.id;
}
