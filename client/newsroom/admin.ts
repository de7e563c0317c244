import type { Post } from '../../contract/index.js';
import { api, element } from './api.js';

/** /admin: create a post and go to its composer. */
export function startAdminHome(): void {
  const form = document.querySelector<HTMLFormElement>('#new-post');
  const error = document.querySelector<HTMLElement>('#new-post-error');
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = new FormData(form).get('title');
    try {
      const post = await api<Post>('POST', '/api/posts', { json: { title } });
      location.assign(`/admin/posts/${post.slug}`);
    } catch (problem) {
      if (error) error.textContent = problem instanceof Error ? problem.message : String(problem);
    }
  });
}

type User = { id: number; name: string; email: string | null; role: string; disabledAt: string | null; hasPassword: boolean };
type Token = { id: number; name: string; userId: number; userName: string; lastUsedAt: string | null; revokedAt: string | null };

/** /admin/users: roles, disabling, new accounts, API tokens. */
export function startUsers(): void {
  const usersBody = document.querySelector('#users tbody')!;
  const tokensBody = document.querySelector('#tokens tbody')!;
  const tokenUser = document.querySelector<HTMLSelectElement>('#token-user')!;
  const secret = document.querySelector<HTMLElement>('#new-token-secret')!;
  const report = (error: unknown) => window.alert(error instanceof Error ? error.message : String(error));

  const load = async () => {
    const [{ users }, { tokens }] = await Promise.all([api<{ users: User[] }>('GET', '/api/users'), api<{ tokens: Token[] }>('GET', '/api/tokens')]);
    usersBody.replaceChildren(
      ...users.map((user) => {
        const role = element('select', { ariaLabel: `Role of ${user.name}` }, ...['author', 'editor', 'admin'].map((value) => element('option', { value, selected: value === user.role }, value)));
        role.addEventListener('change', () => api('PATCH', `/api/users/${user.id}`, { json: { role: role.value } }).then(load, report));
        const toggle = element('button', { type: 'button' }, user.disabledAt ? 'Enable' : 'Disable');
        toggle.addEventListener('click', () => api('PATCH', `/api/users/${user.id}`, { json: { disabled: !user.disabledAt } }).then(load, report));
        return element('tr', { dataset: { userId: String(user.id) } }, element('td', {}, user.name), element('td', {}, user.email ?? '(token only)'), element('td', {}, role), element('td', {}, user.disabledAt ? 'disabled' : 'active'), element('td', {}, toggle));
      }),
    );
    tokenUser.replaceChildren(...users.filter((user) => !user.disabledAt).map((user) => element('option', { value: String(user.id) }, user.name)));
    tokensBody.replaceChildren(
      ...tokens.map((token) => {
        const revoke = element('button', { type: 'button', disabled: Boolean(token.revokedAt) }, 'Revoke');
        revoke.addEventListener('click', () => {
          if (window.confirm(`Revoke token "${token.name}"? Scripts using it stop at once.`)) api('DELETE', `/api/tokens/${token.id}`).then(load, report);
        });
        return element('tr', { dataset: { tokenId: String(token.id) } }, element('td', {}, `#${token.id}`), element('td', {}, token.name), element('td', {}, token.userName), element('td', {}, token.lastUsedAt ?? 'never'), element('td', {}, token.revokedAt ? 'revoked' : 'active'), element('td', {}, revoke));
      }),
    );
  };

  const newUser = document.querySelector<HTMLFormElement>('#new-user')!;
  newUser.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(newUser));
    try {
      await api('POST', '/api/users', { json: data });
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
      const { token } = await api<{ token: string }>('POST', '/api/tokens', { json: { userId: Number(data.get('userId')), name: data.get('name') } });
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
