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
