/** `liveline import export.xml`: a WordPress export through the command line, with its summary table. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LIVEBLOG = fileURLToPath(new URL('../../fixtures/wordpress/liveblog.wordpress.xml', import.meta.url));
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'liveline-wxr-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, DATABASE_PATH: join(dir, 'liveline.db') };
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', ...args], { cwd: ROOT, env });

describe('liveline import of a WXR file', () => {
  it('prints what went in and what was left out, and exits 1 with file:line for a broken item while the rest goes in', async () => {
    const { stdout, stderr } = await cli('import', LIVEBLOG);
    expect(stdout).toContain(`${LIVEBLOG} → product-launch-live (created, 6 entries)`);
    expect(stdout).toContain(`${LIVEBLOG}: WordPress export of https://live.example.com`);
    expect(stdout).toMatch(/^ {2}posts +2 {2}2 created, 0 updated, 0 unchanged$/m);
    expect(stdout).toMatch(/^ {2}entries +10 {2}9 published, 1 deleted in WordPress/m);
    expect(stdout).toMatch(/^ {2}revisions +13 {2}written by this import$/m);
    expect(stdout).toMatch(/^ {2}users +3 {2}3 created \(cannot log in\), 0 matched/m);
    expect(stdout).toMatch(/^ {2}skipped +2$/m);
    expect(stdout).toMatch(/^ +1 {2}draft status in WordPress: only published posts are imported$/m);
    expect(stderr).toContain('Imported 1 of 1 files.');

    const text = readFileSync(LIVEBLOG, 'utf8');
    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, text.replace('<wp:post_id>11</wp:post_id>', '<wp:post_id>11</wp:post_idd>'));
    const line = text.slice(0, text.indexOf('<wp:post_id>11</wp:post_id>')).split('\n').length;
    const failed = await cli('import', broken).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    const { stdout: out, stderr: err } = failed as { stdout: string; stderr: string };
    expect(err).toContain(`${broken}:${line}: item: broken XML:`);
    expect(err).toContain('Imported 1 of 1 files; 1 with broken items left out.');
    // The liveblog post of the same site went in again as the same post: updated in place, not duplicated.
    expect(out).toContain(`${broken} → product-launch-live (unchanged, 6 entries)`);
    expect(out).not.toContain('what-we-expect');

    const other = join(dir, 'sitemap.xml');
    writeFileSync(other, '<?xml version="1.0"?><urlset></urlset>\n');
    const notWxr = await cli('import', other).catch((error: { code: number; stderr: string }) => error);
    expect(notWxr).toMatchObject({ code: 1, stderr: expect.stringContaining(`${other}:1: not a WordPress export (WXR)`) });
  }, 60_000);
});
