import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from './errors.js';
import { formatJekyll, parseJekyll } from './jekyll.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const fixture = (name: string) => parseJekyll(readFileSync(FIXTURES + name, 'utf8'), name);

function failure(text: string, file = 'bad.md'): ArchiveFormatError {
  try {
    parseJekyll(text, file);
  } catch (error) {
    if (error instanceof ArchiveFormatError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseJekyll', () => {
  it('reads a WordPress export: fields, scalar categories, list tags, markers, Markdown blocks', () => {
    const post = fixture('2011-03-14-storage-summit-opening-keynote.md');
    expect(post).toMatchObject({
      title: 'Storage Summit Opening Keynote',
      slug: 'storage-summit-opening-keynote',
      startsAt: '2011-03-14T09:02:44.000Z',
      status: 'ended',
      categories: ['Liveblog'],
      tags: ['Storage', 'Keynote'],
      importKey: 'wordpress:2210',
    });
    // Unknown fields are carried, in the file's order.
    expect(Object.keys(post.frontMatter)).toEqual(['author', 'comments', 'date', 'layout', 'slug', 'title', 'wordpress_id', 'categories', 'tags']);
    expect(post.frontMatter).toMatchObject({ author: 'jdoe', comments: true, layout: 'post' });
    expect(post.entries.map((entry) => [entry.createdAt.slice(11, 19), entry.body])).toEqual([
      ['09:02:44', 'The keynote opens with a video about flash arrays. The presenter takes the stage.'],
      ['09:40:00', 'The demo shows a **live** migration between two arrays.'],
      ['09:45:00', 'Pricing, per [the press release](https://example.com/press):'],
      ['09:48:30', '- 10 TB starter kit\n- 100 TB rack'],
      ['09:52:00', '> "Flash is the new disk." — the CEO'],
      ['10:05:00', 'Config snippet from the slide:'],
      ['10:06:00', '```yaml\nreplication: sync\ntargets: 2\n```'],
      ['10:07:00', "That's a wrap. Thanks for following along!"],
    ]);
    expect(post.entries.map((entry) => entry.line)).toEqual([15, 17, 19, 21, 24, 27, 29, 36]);
  });

  it('reads CRLF files, flow lists, scalar tags, Unicode and 12-hour markers in the post time zone', () => {
    const post = fixture('vcloud-keynote.md');
    expect(post).toMatchObject({
      title: 'vCloud Keynote: Cloud für alle ☁️',
      slug: 'vcloud-keynote-cloud-fur-alle',
      timezone: 'America/Los_Angeles',
      categories: ['Liveblog', 'Cloud'],
      tags: ['vmworld'],
      importKey: 'slug:vcloud-keynote-cloud-fur-alle',
    });
    expect(post.frontMatter.custom_field).toEqual({ nested: true, speakers: ['Paul', 'Steve'] });
    // 9:05am in Los Angeles (PDT, UTC-7) is 16:05Z; 9:41pm is 04:41Z the next day.
    expect(post.entries.map((entry) => entry.createdAt)).toEqual([
      '2012-08-27T16:05:00.000Z',
      '2012-08-27T16:20:00.000Z',
      '2012-08-27T22:30:30.000Z',
      '2012-08-28T04:41:00.000Z',
    ]);
    expect(post.entries[0]!.body).toBe('Paul takes the stage — «Bienvenue» to 20,000 attendees. 日本語のスライドも。');
    expect(post.entries.every((entry) => !entry.body.includes('\r'))).toBe(true);
  });

  it('takes the date from a Jekyll file name and spreads unmarked entries', () => {
    const post = fixture('2012-06-01-no-markers.md');
    expect(post.slug).toBe('quiet-launch');
    expect(post.entries.map((entry) => entry.createdAt)).toEqual(['2012-06-01T00:00:00.000Z', '2012-06-01T00:01:00.000Z', '2012-06-01T00:02:00.000Z']);
  });

  it('reports bad files by file and line', () => {
    expect(fixtureError('no-front-matter.md')).toMatchObject({ line: 1, message: expect.stringMatching(/no YAML front matter/) });
    expect(fixtureError('missing-title.md')).toMatchObject({ line: 1, message: expect.stringMatching(/title is required/) });
    const broken = fixtureError('broken-yaml.md');
    expect(broken.message).toMatch(/broken YAML/);
    expect(broken.line).toBeGreaterThanOrEqual(4);
    expect(failure('---\ntitle: Ok\ndate: not a date\n---\n\nx\n')).toMatchObject({ line: 3, message: expect.stringMatching(/^date:/) });
    expect(failure('---\ntitle: Ok\ndate: 2011-01-01\ntimezone: Mars/Olympus\n---\n')).toMatchObject({ line: 4 });
    expect(failure('---\ntitle: Ok\ndate: 2011-01-01\ntitle: Twice\n---\n').line).toBe(4);
    expect(failure('---\ntitle: never closed\n').message).toMatch(/not closed/);
    expect(failure(`---\ntitle: Long\ndate: 2011-01-01\n---\n\nshort\n\n${'x'.repeat(20_001)}\n`)).toMatchObject({ line: 8 });
  });
});

function fixtureError(name: string): ArchiveFormatError {
  return failure(readFileSync(FIXTURES + name, 'utf8'), name);
}

describe('formatJekyll', () => {
  it.each(['2011-03-14-storage-summit-opening-keynote.md', 'vcloud-keynote.md', '2012-06-01-no-markers.md'])(
    'writes %s back so that it parses to the same post',
    (name) => {
      const post = fixture(name);
      const text = formatJekyll({ ...post, createdAt: post.startsAt }, post.frontMatter, post.entries);
      const again = parseJekyll(text, name);
      const strip = (p: typeof post) => ({ ...p, entries: p.entries.map(({ body, createdAt }) => ({ body, createdAt })) });
      expect(strip(again)).toEqual(strip(post));
    },
  );

  it('keeps the original front matter and writes markers in its offset', () => {
    const text = formatJekyll(
      { title: 'Berlin', slug: 'berlin', description: '', status: 'ended', timezone: 'UTC', startsAt: '2026-03-14T08:00:00.000Z', createdAt: '', tags: ['A'], categories: [] },
      { date: '2026-03-14 10:00:00+02:00', layout: 'post', tags: 'A' },
      [{ body: '- a list', createdAt: '2026-03-14T08:30:15.000Z' }],
    );
    expect(text).toBe('---\ndate: 2026-03-14 10:00:00+02:00\nlayout: post\ntags: A\ntitle: Berlin\n---\n\n**10:30:15**\n{: .entry}\n\n- a list\n');
  });
});
