import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { verifyPassword } from '../auth/passwords.js';

it('`liveline user add --password-stdin` creates an account that can log in', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-'));
  try {
    const run = (args: string[], input: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', ...args], {
        env: { ...process.env, DATABASE_PATH: join(dir, 'cli.db') },
        input,
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    const output = run(['user', 'add', '--email', 'ada@example.org', '--name', 'Ada', '--role', 'editor', '--password-stdin'], 'a long passphrase\n');
    expect(output).toMatch(/Created editor #\d+ Ada <ada@example.org>/);
    expect(() => run(['user', 'add', '--email', 'bob@example.org', '--name', 'Bob', '--role', 'editor', '--password-stdin'], 'short\n')).toThrow(/at least 10 characters/);
    const db = openDatabase(join(dir, 'cli.db'));
    const row = db.prepare('SELECT role, password_hash AS hash FROM users WHERE email = ?').get('ada@example.org') as { role: string; hash: string };
    db.close();
    expect(row.role).toBe('editor');
    expect(await verifyPassword('a long passphrase', row.hash)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('`liveline user add --role contributor` creates a contributor (issue 17)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-cli-'));
  try {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'user', 'add', '--email', 'cora@example.org', '--name', 'Cora', '--role', 'contributor', '--password-stdin'], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'cli.db') },
      input: 'a long passphrase\n',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    expect(output).toMatch(/Created contributor #\d+ Cora <cora@example.org>/);
    const db = openDatabase(join(dir, 'cli.db'));
    expect(db.prepare('SELECT role FROM users WHERE email = ?').get('cora@example.org')).toEqual({ role: 'contributor' });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
