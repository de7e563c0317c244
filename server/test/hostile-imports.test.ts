import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from './process-helpers.js';
import { createTestApp, type TestApp } from './helpers.js';

/**
 * Security review, issue 13, H2 and L3: an import is untrusted text, and reading it (YAML front
 * matter, then marked's block lexer) can take super-linear time or recurse without end. A 9 MB
 * nested list used to freeze the whole server for over a minute, 0.9 MB of YAML keys for seconds,
 * and too many YAML aliases or deeply nested quotes answered 500 and stopped a CLI batch. These
 * tests send those files for real: the event loop must stay free while they are read (it is
 * measured, not the test's duration), and each must end as a 422 naming `file:line`.
 */

const FRONT = '---\ntitle: Hostile\ndate: 2011-03-14 09:00:00+00:00\n---\n\n';

/** A list nested one level deeper on every line, until the file is `size` characters long. */
function nestedList(size: number): string {
  const lines = [FRONT];
  let length = FRONT.length;
  for (let depth = 0; length < size; depth += 1) {
    const line = `${'  '.repeat(depth)}- x\n`;
    lines.push(line);
    length += line.length;
  }
  return lines.join('');
}

/** Front matter of `size` characters: one distinct key per line (unique-key checks are quadratic). */
function yamlKeys(size: number): string {
  const lines = ['---\ntitle: Hostile\ndate: 2011-03-14 09:00:00+00:00\n'];
  let length = lines[0]!.length;
  for (let i = 0; length < size; i += 1) {
    const line = `key${i}: value\n`;
    lines.push(line);
    length += line.length;
  }
  return `${lines.join('')}---\n\nx\n`;
}

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

  it('keeps answering /healthz while a 9 MB nested list and 0.9 MB of YAML keys are read, and refuses both with 422 file:line (H2)', async () => {
    const files = { 'list.md': nestedList(9 * 1024 * 1024), 'keys.md': yamlKeys(900 * 1024) };
    // Two measures of the event loop while the files are read: its own delay (a timer that fires
    // late), and the longest gap between two answers of /healthz asked for every 20 ms.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const answeredAt = [performance.now()];
    let importing = true;
    const probe = (async () => {
      while (importing) {
        expect((await t.app.inject('/healthz')).statusCode).toBe(200);
        answeredAt.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    // The histogram measures from its first tick on: start the uploads after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const responses = await Promise.all(Object.entries(files).map(([name, text]) => upload(text, name)));
    // A loop blocked until now has timers overdue: let them fire, so the block is measured.
    await new Promise((resolve) => setTimeout(resolve, 200));
    importing = false;
    await probe;
    loop.disable();
    const longestGap = Math.max(...answeredAt.slice(1).map((at, i) => at - answeredAt[i]!));

    for (const [index, name] of Object.keys(files).entries()) {
      const response = responses[index]!;
      expect(response.statusCode, response.body).toBe(422);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json()).toMatchObject({ type: '/problems/invalid-archive', file: name, detail: expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}:\\d+: `)) });
    }
    expect(responses[0]!.json().detail).toMatch(/^list\.md:6: .*nested/);
    expect(responses[1]!.json().detail).toMatch(/^keys\.md:\d+: the front matter is larger than 64 KiB/);
    // Generous for a loaded two-core box: reading these files on the event loop blocked it for
    // seconds to minutes; receiving 9 MB and handing it to a worker costs it about 0.1 s.
    expect(answeredAt.length).toBeGreaterThan(5);
    expect(longestGap).toBeLessThan(500);
    expect(loop.max / 1e6).toBeLessThan(500);
  }, 120_000);

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
