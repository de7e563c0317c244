import { expect, request, test, type APIRequestContext } from '@playwright/test';

/**
 * The e2e admin's API session (the account playwright.config.ts creates), logged in once per spec
 * file: call at the top level of a spec; the returned function gives the context inside tests
 * (its cookies sign a browser context in: `context.addCookies((await admin().storageState()).cookies)`).
 */
export function adminSession(): () => APIRequestContext {
  let admin: APIRequestContext | undefined;
  test.beforeAll(async ({ baseURL }) => {
    admin = await request.newContext({ baseURL });
    expect((await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } })).status()).toBe(200);
  });
  test.afterAll(async () => {
    await admin?.dispose();
  });
  return () => {
    if (!admin) throw new Error('adminSession() is used before its beforeAll ran');
    return admin;
  };
}
