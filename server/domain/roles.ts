import type { Actor, Entry, Role } from '../../contract/index.js';
import { ROLES } from '../../contract/index.js';

/** Who may do what. The roles themselves are part of the contract (contract/user.ts). */

/** A role may do everything the roles before it may. */
export function hasRole(actor: Actor, needed: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(needed);
}

/** Authors may change their own entries; editors and admins any entry. */
export function canModifyEntry(actor: Actor, entry: Pick<Entry, 'author'>): boolean {
  return hasRole(actor, 'editor') || entry.author?.id === actor.id;
}

/** Posts are the desk's: editors create them (an author's post could take over another's slug). */
export function canCreatePost(actor: Actor): boolean {
  return hasRole(actor, 'editor');
}

/**
 * Only editors undo what an editor did: an author may not replace an editor's pin, unpin an
 * entry an editor pinned, or restore an entry an editor deleted. `doneBy` is the role of whoever
 * did it (undefined when nobody known did, e.g. an import).
 */
export function mayUndo(actor: Actor, doneBy: Role | undefined): boolean {
  return hasRole(actor, 'editor') || doneBy === undefined || ROLES.indexOf(doneBy) < ROLES.indexOf('editor');
}
