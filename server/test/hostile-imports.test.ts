import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from './process-helpers.js';
import { createTestApp, type TestApp } from './helpers.js';

/**
 * Security review, issue 13, L3: an import is untrusted text, and reading it (YAML front matter,
 * then marked's block lexer) can fail inside either parser. Too many YAML aliases or deeply
 * nested quotes answered 500 and stopped a CLI batch. These tests send those files for real:
 * each must end as a 422 naming `file:line`, and a batch must go on with the next file.
 */

const FRONT = '---\ntitle: Hostile\ndate: 2011-03-14 09:00:00+00:00\n---\n\n';

/** One anchor and more aliases to it than the yaml package expands (its maxAliasCount, 50). */
const MANY_ALIASES = `---\ntitle: Aliases\ndate: 2011-03-14\nspeaker: &who Ada\nspeakers:\n${'  - *who\n'.repeat(51)}---\n\nx\n`;
/** Quotes nested thousands deep: marked recurses once per level. */
const DEEP_QUOTES = `${FRONT}Intro.\n\n${'>'.repeat(5000)} deep\n`;
const GOOD = (title: string) => `---\ntitle: ${title}\ndate: 2011-03-14 09:00:00+00:00\n---\n\n**09:05** First.\n\nSecond.\n`;

describe('hostile imports through POST /api/import', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const upload = (payload: string, filename = 'x.md') =>
    t.app.inject({ method: 'POST', url: `/api/import?filename=${filename}`, headers: { ...t.auth('editor'), 'content-type': 'text/markdown' }, payload });

  it('refuses too many YAML aliases and deeply nested quotes with 422 file:line, not 500 (L3)', async () => {
    const aliases = await upload(MANY_ALIASES, 'aliases.md');
    expect(aliases.statusCode, aliases.body).toBe(422);
    expect(aliases.json()).toMatchObject({ file: 'aliases.md', line: 6, detail: expect.stringMatching(/^aliases\.md:6: .*alias/) });

    const quotes = await upload(DEEP_QUOTES, 'quotes.md');
    expect(quotes.statusCode, quotes.body).toBe(422);
    expect(quotes.json()).toMatchObject({ file: 'quotes.md', line: 8, detail: expect.stringMatching(/^quotes\.md:8: .*nested/) });

    // The server goes on importing ordinary files.
    expect((await upload(GOOD('After'), 'after.md')).statusCode).toBe(201);
  }, 60_000);
});

describe('liveline import with hostile files in the batch (L3)', () => {
  it('reports each bad file by file:line and imports the good ones around them', () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'liveline-hostile-'));
    try {
      const files = {
        'a-first.md': GOOD('First Good'),
        'b-aliases.md': MANY_ALIASES,
        'c-quotes.md': DEEP_QUOTES,
        'd-last.md': GOOD('Last Good'),
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const result = spawnSync(process.execPath, [join(ROOT, 'bin/liveline.js'), 'import', ...Object.keys(files).map((name) => join(dir, name))], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_PATH: join(dir, 'liveline.db'), LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/a-first\.md → first-good \(created, 2 entries\)/);
      expect(result.stdout).toMatch(/d-last\.md → last-good \(created, 2 entries\)/);
      expect(result.stderr).toMatch(/b-aliases\.md:6: .*alias.* \(skipped\)/);
      expect(result.stderr).toMatch(/c-quotes\.md:8: .*nested.* \(skipped\)/);
      expect(result.stderr).toMatch(/Imported 2 of 4 files; 2 skipped\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
