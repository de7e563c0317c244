import type { Role } from '../../contract/index.js';
import { createPost, createToken, createUser, listTokens, listUsers, revokeToken, updateUser } from '../api-client.js';
import { browserZone, nextFullHourInput } from './clock.js';
import { element } from './dom.js';
import { eventStartFields } from './event-start.js';
import { banner, confirmInline, errorText } from './notices.js';

/** The admin pages: posts and people. */

/**
 * As the contract's ROLES, which cannot be imported as a value: it would bundle zod. Spelled as a
 * record so that a role added to the contract fails to compile here until it is added (the list
 * without `contributor` created authors from the users page).
 */
const ROLE_ORDER: Record<Role, number> = { contributor: 0, author: 1, editor: 2, admin: 3 };
const ROLES = (Object.keys(ROLE_ORDER) as Role[]).sort((a, b) => ROLE_ORDER[a] - ROLE_ORDER[b]);

/** Form fields hold strings. A role select holds a role (the least one, should it ever not); the server validates again. */
const field = (data: FormData, name: string) => String(data.get(name) ?? '');
const roleOf = (value: string): Role => ROLES.find((role) => role === value) ?? 'author';

/**
 * /admin: create a post and go to its composer. A new post starts scheduled (issue 14), with a
 * start typed in its zone: the creator's own zone unless they pick the event's, and the next
 * full hour unless they type another.
 */
export function startAdminHome(): void {
  const form = document.querySelector<HTMLFormElement>('#new-post');
  const error = document.querySelector<HTMLElement>('#new-post-error');
  const zone = browserZone();
  const when = eventStartFields({ startsAt: null, zone, required: true, value: nextFullHourInput(zone) });
  document.querySelector('#new-post-when')?.append(when.start, when.zone.root);
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const timezone = when.zone.value();
    const startsAt = when.toSave();
    if (!when.zone.validate() || !timezone || !startsAt) {
      if (error) error.textContent = 'Give the post a start time and a time zone from the list.';
      return;
    }
    try {
      const data = new FormData(form);
      // A draft (issue 17) stays private until someone makes it scheduled or live.
      const post = await createPost({ title: field(data, 'title'), status: data.get('draft') === 'on' ? 'draft' : 'scheduled', startsAt, timezone });
      location.assign(`/admin/posts/${post.slug}`);
    } catch (problem) {
      if (error) error.textContent = problem instanceof Error ? problem.message : String(problem);
    }
  });
}

/** /admin/users: roles, disabling, new accounts, API tokens. */
export function startUsers(): void {
  const usersBody = document.querySelector('#users tbody')!;
  const tokensBody = document.querySelector('#tokens tbody')!;
  const tokenUser = document.querySelector<HTMLSelectElement>('#token-user')!;
  const secret = document.querySelector<HTMLElement>('#new-token-secret')!;
  // Failures show in a banner above the users table (issue 14: no alert()); the next success clears it.
  const slot = element('div', { id: 'users-alerts' });
  document.querySelector('#users')!.before(slot);
  const failure = banner(slot);
  const report = (error: unknown) => failure.show(errorText(error));

  const load = async () => {
    const [{ users }, { tokens }] = await Promise.all([listUsers(), listTokens()]);
    failure.clear();
    usersBody.replaceChildren(
      ...users.map((user) => {
        const role = element('select', { ariaLabel: `Role of ${user.name}` }, ...ROLES.map((value) => element('option', { value, selected: value === user.role }, value)));
        role.addEventListener('change', () => updateUser(user.id, { role: roleOf(role.value) }).then(load, report));
        const toggle = element('button', { type: 'button' }, user.disabledAt ? 'Enable' : 'Disable');
        toggle.addEventListener('click', () => updateUser(user.id, { disabled: !user.disabledAt }).then(load, report));
        return element('tr', { dataset: { userId: String(user.id) } }, element('td', {}, user.name), element('td', {}, user.email ?? '(token only)'), element('td', {}, role), element('td', {}, user.disabledAt ? 'disabled' : 'active'), element('td', {}, toggle));
      }),
    );
    tokenUser.replaceChildren(...users.filter((user) => !user.disabledAt).map((user) => element('option', { value: String(user.id) }, user.name)));
    tokensBody.replaceChildren(
      ...tokens.map((token) => {
        const revoke = element('button', { type: 'button', disabled: Boolean(token.revokedAt) }, 'Revoke');
        // Revoking cannot be undone: asked in place, in two steps.
        revoke.addEventListener('click', async () => {
          if (await confirmInline(revoke, { message: `Revoke token "${token.name}"? Scripts using it stop at once.`, confirm: 'Revoke now', cancel: 'Keep it' })) revokeToken(token.id).then(load, report);
        });
        return element('tr', { dataset: { tokenId: String(token.id) } }, element('td', {}, `#${token.id}`), element('td', {}, token.name), element('td', {}, token.userName), element('td', {}, token.lastUsedAt ?? 'never'), element('td', {}, token.revokedAt ? 'revoked' : 'active'), element('td', {}, revoke));
      }),
    );
  };

  const newUser = document.querySelector<HTMLFormElement>('#new-user')!;
  newUser.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(newUser);
    try {
      await createUser({ name: field(data, 'name'), email: field(data, 'email'), role: roleOf(field(data, 'role')), password: field(data, 'password') });
      newUser.reset();
      document.querySelector('#new-user-error')!.textContent = '';
      await load();
    } catch (error) {
      document.querySelector('#new-user-error')!.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  const newToken = document.querySelector<HTMLFormElement>('#new-token')!;
  newToken.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(newToken);
    try {
      const { token } = await createToken({ userId: Number(data.get('userId')), name: field(data, 'name') });
      secret.hidden = false;
      secret.replaceChildren('New token (shown only once): ', element('code', {}, token));
      newToken.reset();
      await load();
    } catch (error) {
      report(error);
    }
  });
  load().catch(report);
}
