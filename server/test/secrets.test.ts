import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('secrets', () => {
  it('never appear in logs, even at trace level and on errors', async () => {
    const logs = capture();
    t = await createTestApp({ LOG_LEVEL: 'trace' }, { logger: true, logStream: logs.stream });
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Logged?');
    const wrong = 'll_this-is-a-wrong-but-secret-looking-token';
    await t.app.inject({ method: 'POST', url: '/api/posts', headers: { authorization: `Bearer ${wrong}`, cookie: 'session=s3cr3t-cookie' }, payload: { title: 'x' } });
    await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: { ...t.auth('author'), 'content-type': 'application/json' }, payload: '{"body": broken' });

    const text = logs.text();
    expect(text.length).toBeGreaterThan(0);
    expect(text).toMatch(/incoming request/); // the logger really ran at trace level
    for (const secret of [...Object.values(t.tokens), wrong, 's3cr3t-cookie']) expect(text).not.toContain(secret);
  });

  it('stores API tokens only hashed: the secret is nowhere in the database files', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'uses the token');
    t.app.stores.db.pragma('wal_checkpoint(FULL)');
    const files = readdirSync(t.dir).filter((name) => name.startsWith('liveline.db'));
    expect(files).toContain('liveline.db');
    const bytes = files.map((name) => readFileSync(join(t!.dir, name)).toString('latin1')).join('');
    for (const token of Object.values(t.tokens)) {
      expect(bytes).not.toContain(token);
      expect(bytes).not.toContain(token.slice(3)); // without the ll_ prefix either
    }
  });
});

describe('SQL', () => {
  it('is only ever built from constant strings: values go through bound parameters', () => {
    // Any ${...} inside a prepare()/exec()/pragma() template literal would splice data into SQL,
    // except an UPPER_CASE module constant (a shared SQL fragment fixed at compile time) or a
    // checked integer (sqlInteger) in a pragma.
    const roots = ['server/store', 'server/db', 'server/services'];
    const offenders: string[] = [];
    for (const root of roots) {
      for (const file of readdirSync(root).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
        const source = readFileSync(join(root, file), 'utf8');
        for (const match of source.matchAll(/\.(?:prepare|exec|pragma)\(\s*`([^`]*)`/g)) {
          const spliced = [...match[1]!.matchAll(/\$\{\s*([^}]*?)\s*\}/g)].map((m) => m[1]!);
          // sqlInteger(…) (server/db/migrate.ts) spells a checked integer into a pragma, which cannot bind parameters.
          if (spliced.some((expression) => !/^[A-Z][A-Z0-9_]*$/.test(expression) && !/^sqlInteger\([^()]*(\([^()]*\))?[^()]*\)$/.test(expression))) offenders.push(`${root}/${file}: ${match[1]!.slice(0, 80)}`);
        }
        for (const match of source.matchAll(/\.(?:prepare|exec)\(\s*(?:'[^']*'|"[^"]*")\s*\+/g)) offenders.push(`${root}/${file}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
