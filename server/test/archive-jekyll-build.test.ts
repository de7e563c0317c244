/**
 * An export is a Jekyll post: `jekyll build` of a site holding one renders every entry, the
 * headers as styled paragraphs and no attribute line as text. Runs where `jekyll` is on PATH
 * (.ci/run installs Debian's package); skipped, saying why, elsewhere.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJekyll } from '../archive/jekyll.js';

const run = promisify(execFile);

function jekyllVersion(): string | null {
  try {
    return execFileSync('jekyll', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
const version = jekyllVersion();
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe.skipIf(version === null)(`jekyll build of an export (${version ?? 'skipped: jekyll is not on PATH; apt-get install jekyll'})`, () => {
  it('renders every entry, its blocks and its header, and runs no Liquid from an entry', async () => {
    const text = formatJekyll(
      { title: 'Night vote', slug: 'night-vote', description: 'Live.', status: 'ended', timezone: 'Europe/Berlin', language: 'de', summary: '- The vote is at **22:00**', startsAt: '2026-03-14T20:00:00.000Z', createdAt: '', tags: ['Wahl'], categories: [] },
      {},
      [
        { body: 'The vote opens.\n\n- yes: 301\n- no: 280\n\n> "A good night."', createdAt: '2026-03-14T20:05:00.000Z', keyEvent: true, pinned: true, author: 'Ada "the" Lovelace' },
        { body: 'Template syntax is text here: {{ site.title }} and {% raw %}.\n\n```yaml\n**21:06**\n{: .entry .key}\n```', createdAt: '2026-03-15T20:10:00.123Z', author: null },
      ],
    );
    const dir = mkdtempSync(join(tmpdir(), 'liveline-jekyll-'));
    dirs.push(dir);
    mkdirSync(join(dir, '_posts'));
    writeFileSync(join(dir, '_config.yml'), 'markdown: kramdown\n');
    writeFileSync(join(dir, '_posts', '2026-03-14-night-vote.md'), text);
    await run('jekyll', ['build', '--source', dir, '--destination', join(dir, '_site'), '--quiet', '--safe'], { timeout: 60_000 });
    const [page, ...others] = htmlFiles(join(dir, '_site'));
    expect(others).toEqual([]);
    const html = readFileSync(page!, 'utf8');
    expect(html).toContain('<p class="entry key pinned" author="Ada &quot;the&quot; Lovelace"><strong>21:05</strong></p>');
    expect(html).toContain('<p class="entry" at="2026-03-15T21:10:00.123+01:00"><strong>21:10</strong></p>');
    expect(html).toContain('<li>yes: 301</li>');
    expect(html).toMatch(/<blockquote>\s*<p>“A good night.”<\/p>\s*<\/blockquote>/);
    expect(html).toContain('{{ site.title }} and {% raw %}');
    // The header-looking lines stay inside the code block; no attribute line leaks as text.
    expect(html).toMatch(/<pre class="highlight"><code>[\s\S]*\.entry[\s\S]*<\/code><\/pre>/);
    expect(html.replace(/<pre[\s\S]*?<\/pre>/g, '')).not.toContain('{:');
  }, 90_000);
});
