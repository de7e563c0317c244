import { expect, it } from 'vitest';
import type { TestApp } from './helpers.js';

/** Who a role-matrix test acts as: no credentials, or a token of each role. */
export type Role = 'anonymous' | 'contributor' | 'author' | 'editor' | 'admin';
export const ROLES: readonly Role[] = ['anonymous', 'contributor', 'author', 'editor', 'admin'];

export type RoleRequest = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Record<string, unknown>; headers?: Record<string, string> };
/** One action, the status each role gets, and a fresh request for it (each role acts on its own fixture). */
export type RoleAction = { name: string; expected: Record<Role, number>; request: () => Promise<RoleRequest> };

/** One test per action and role: the expected status, and every refusal an RFC 9457 problem. */
export function itsRoleMatrix(app: () => TestApp, actions: readonly RoleAction[], headersOf: (who: Role) => Record<string, string>): void {
  for (const action of actions) {
    for (const who of ROLES) {
      it(`${action.name} as ${who} → ${action.expected[who]}`, async () => {
        const { headers, ...request } = await action.request();
        const response = await app().app.inject({ ...request, headers: { ...headersOf(who), ...headers } });
        expect(response.statusCode, response.body).toBe(action.expected[who]);
        if (response.statusCode >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      });
    }
  }
}
