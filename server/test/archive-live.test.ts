import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestApp, testConfig, until } from './helpers.js';
import type { Change } from '../../contract/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const run = promisify(execFile);


describe('archives on a running server', () => {
  it('a re-import through POST /api/import reaches open readers over Socket.IO, seq by seq', async () => {
    const t = await createTestApp();
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const file = readFileSync(join(FIXTURES, '2011-03-14-storage-summit-opening-keynote.md'), 'utf8');
      const upload = (payload: string) =>
        t.app.inject({ method: 'POST', url: '/api/import?filename=keynote.md', headers: { ...t.auth('editor'), 'content-type': 'text/markdown' }, payload });
      expect((await upload(file)).statusCode).toBe(201);

      const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
      const changes: Change[] = [];
      socket.on('change', (change: Change) => changes.push(change));
      expect(await socket.timeout(5000).emitWithAck('subscribe', { slug: 'storage-summit-opening-keynote' })).toEqual({ ok: true, lastSeq: 8 });

      const edited = file.replace('between two arrays', 'between two racks') + '\n**10:30** One more thing.\n';
      expect((await upload(edited)).json()).toMatchObject({ action: 'updated', entries: 9 });
      await until(() => changes.length === 5, 'five changes');
      socket.close();
      // The new 10:30 marker also re-spreads the two unmarked entries before it (10:05 → 10:30).
      expect(changes.map((change) => [change.seq, change.type])).toEqual([
        [9, 'post.updated'],
        [10, 'entry.updated'],
        [11, 'entry.updated'],
        [12, 'entry.updated'],
        [13, 'entry.created'],
      ]);
      expect(changes[2]).toMatchObject({ entry: { body: '```yaml\nreplication: sync\ntargets: 2\n```', createdAt: '2011-03-14T10:13:20.000Z' } });
      expect(changes[4]).toMatchObject({ entry: { body: 'One more thing.', createdAt: '2011-03-14T10:30:00.000Z' } });
    } finally {
      await t.close();
    }
  });

  it('the server takes scheduled backups when BACKUP_DIR is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-scheduled-'));
    const backupDir = join(dir, 'backups');
    // Faster than BACKUP_INTERVAL accepts (at least a second), so set in the config itself.
    const config = testConfig(dir);
    const app = await buildApp({ config: { ...config, storage: { ...config.storage, backup: { dir: backupDir, intervalMs: 200, keep: 2 } } }, logger: false });
    try {
      const copies = () => (existsSync(backupDir) ? readdirSync(backupDir).filter((name) => name.endsWith('.db')) : []);
      await until(() => copies().length === 2, 'two backups');
      const first = copies();
      // A third backup has been taken, and the oldest pruned.
      await until(() => copies().length === 2 && copies().some((name) => !first.includes(name)), 'a third backup and pruning to two');
      expect(copies().every((name) => /^liveline-[\dT-]+Z\.db$/.test(name))).toBe(true);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('liveline import / export', () => {
  it('imports a directory, reports bad files by file and line, exits 1, and exports the posts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-'));
    const env = { ...process.env, DATABASE_PATH: join(dir, 'liveline.db') };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', ...args], { cwd: ROOT, env });
    try {
      const failed = await cli('import', FIXTURES).catch((error: { code: number; stdout: string; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1 });
      const { stdout, stderr } = failed as { stdout: string; stderr: string };
      expect(stdout).toMatch(/2011-03-14-storage-summit-opening-keynote\.md → storage-summit-opening-keynote \(created, 8 entries\)/);
      expect(stdout).toMatch(/vcloud-keynote\.md → vcloud-keynote-cloud-fur-alle \(created, 4 entries\)/);
      expect(stderr).toMatch(/broken-yaml\.md:5: broken YAML/);
      expect(stderr).toMatch(/missing-title\.md:1: title is required/);
      expect(stderr).toMatch(/no-front-matter\.md:1: no YAML front matter/);
      expect(stderr).toMatch(/Imported 3 of 6 files; 3 skipped\./);

      const jekyll = await cli('export', 'quiet-launch', '--format', 'jekyll');
      expect(jekyll.stdout).toBe('---\ntitle: Quiet Launch\ndate: 2012-06-01 00:00:00+00:00\n---\n\n**00:00**\n{: .entry}\n\nFirst paragraph, no time marker.\n\n**00:01**\n{: .entry}\n\nSecond paragraph, a minute later.\n\n**00:02**\n{: .entry}\n\nThird paragraph, again a minute later.\n');
      const json = JSON.parse((await cli('export', 'quiet-launch', '--format', 'json')).stdout);
      expect(json).toMatchObject({ format: 'liveline-archive', post: { slug: 'quiet-launch' }, entries: [{}, {}, {}], changes: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] });
      const missing = await cli('export', 'nope').catch((error: { code: number; stderr: string }) => error);
      expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/"nope" does not exist/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
