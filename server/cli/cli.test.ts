import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { TokenStore } from '../store/tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-'));
const databasePath = join(dir, 'nested', 'liveline.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function liveline(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('liveline CLI', () => {
  it('creates a token that authenticates, printing the secret once on stdout', () => {
    const result = liveline(['token', 'create', '--name', 'Ada', '--role', 'editor']);
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^ll_[\w-]{43}$/);
    expect(result.stderr).toContain('shown only once');
    const db = openDatabase(databasePath);
    expect(new TokenStore(db).authenticate(token, new Date().toISOString())).toMatchObject({ name: 'Ada', role: 'editor' });
    expect(JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token);
    db.close();
  });

  it('lists and revokes tokens', () => {
    const list = liveline(['token', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/#1\teditor\tAda/);
    expect(liveline(['token', 'revoke', '1']).stdout).toContain('Revoked token #1');
    expect(liveline(['token', 'list']).stdout).toMatch(/#1.*revoked/);
    expect(liveline(['token', 'revoke', '1']).code).toBe(1);
  });

  it('rejects bad arguments with a clear message', () => {
    const badRole = liveline(['token', 'create', '--name', 'X', '--role', 'owner']);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role must be one of contributor, author, editor, admin');
    const unknown = liveline(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it('refuses to serve with invalid configuration, naming the variable', () => {
    const result = liveline(['serve'], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration:\n\s+PORT:/);
  });

  it('migrates and reports an up-to-date database', () => {
    expect(liveline(['migrate']).stdout).toContain('The database is up to date.');
  });
});
