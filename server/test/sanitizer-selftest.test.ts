import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from './helpers.js';

afterEach(() => {
  vi.doUnmock('sanitize-html');
  vi.resetModules();
});

describe('sanitizer self-test at start-up', () => {
  it('refuses to build the server when the sanitizer lets a known vector through', async () => {
    // Simulate a broken dependency upgrade or config change: the "sanitizer" returns its input.
    vi.resetModules();
    vi.doMock('sanitize-html', () => ({ default: (html: string) => html }));
    const { buildApp } = await import('../app.js');
    const dir = mkdtempSync(join(tmpdir(), 'liveline-selftest-'));
    try {
      await expect(buildApp({ config: testConfig(dir), logger: false })).rejects.toThrow(/sanitizer self-test failed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds normally with the real sanitizer', async () => {
    vi.resetModules();
    const { buildApp } = await import('../app.js');
    const dir = mkdtempSync(join(tmpdir(), 'liveline-selftest-'));
    const app = await buildApp({ config: testConfig(dir), logger: false });
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
