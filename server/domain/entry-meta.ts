import type { Actor, Claim } from '../../contract/index.js';
import { hasRole } from './roles.js';

/**
 * Who may set which of an entry's issue-17 fields. Headline, location, tags and co-authors belong
 * to whoever may change the entry (its author, an editor). Three are editorial decisions:
 * - a public correction is an editor's (an author's edit is an ordinary "Updated");
 * - a claim label: anyone writing may say "unconfirmed"; only an editor confirms or denies, and
 *   only an editor takes back a label an editor's decision put there;
 * - the byline: an author credits colleagues after themselves but cannot hand the byline away.
 * Written with hasRole, so a role below `author` (a contributor) gets an author's limits.
 * Each rule answers the sentence a 403 says, or undefined when allowed.
 */

export function correctionRefusal(actor: Actor): string | undefined {
  return hasRole(actor, 'editor') ? undefined : 'Only editors may publish a correction; save the edit without one, or ask an editor.';
}

const OPEN_CLAIMS: readonly (Claim | null)[] = [null, 'unconfirmed'];

export function claimRefusal(actor: Actor, from: Claim | null, to: Claim | null): string | undefined {
  if (from === to || hasRole(actor, 'editor')) return undefined;
  if (OPEN_CLAIMS.includes(from) && OPEN_CLAIMS.includes(to)) return undefined;
  return 'Only editors may confirm or deny a claim, or change a label an editor set.';
}

export function bylineRefusal(actor: Actor, authors: number[]): string | undefined {
  if (hasRole(actor, 'editor') || authors[0] === actor.id) return undefined;
  return 'An author may add co-authors but must stay first (the byline); editors may change the byline.';
}
