import type { Role } from '../../contract/index.js';
import type { TestApp } from './helpers.js';

export type Login = { cookie: string; csrf: string; userId: number; headers: Record<string, string> };

export const PASSWORD = 'correct horse battery staple';

/** Creates an account with a password and logs it in through POST /login. */
export async function loginAs(t: TestApp, role: Role, email = `${role}-${Math.random().toString(36).slice(2)}@example.org`): Promise<Login> {
  const user = await t.app.services.users.createTrusted({ name: `${role} person`, email, role, password: PASSWORD });
  return login(t, email, PASSWORD, user.id);
}

export async function login(t: TestApp, email: string, password: string, userId = 0): Promise<Login> {
  const response = await t.app.inject({ method: 'POST', url: '/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'liveline_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = response.json() as { csrfToken: string };
  const cookieHeader = `liveline_session=${cookie.value}`;
  return { cookie: cookieHeader, csrf: csrfToken, userId, headers: { cookie: cookieHeader, 'x-csrf-token': csrfToken } };
}
