import { describe, expect, it } from 'vitest';
import { EMPTY_FIELDS, formatHeader, readHeader } from './entry-header.js';
import { ArchiveFormatError } from './errors.js';
import { formatJekyll, parseJekyll } from './jekyll.js';

const FRONT = '---\ntitle: Night vote\ndate: 2026-03-14 21:00:00+01:00\n---\n\n';

describe('entry headers', () => {
  it('reads a multi-block entry whole, with its flags, byline and exact instant', () => {
    const post = parseJekyll(
      `${FRONT}**21:05**\n{: .entry .key}\n{: author="Ada \\"the\\" Lovelace"}\n\nThe vote opens.\n\n- yes: 301\n- no: 280\n\n> "A good night."\n\n**23:59**\n{: .entry .pinned}\n{: at="2026-03-15T23:59:01.250+01:00"}\n\nNext day, with milliseconds.\n`,
      'night.md',
    );
    expect(post.entries).toEqual([
      { body: 'The vote opens.\n\n- yes: 301\n- no: 280\n\n> "A good night."', createdAt: '2026-03-14T20:05:00.000Z', line: 6, ...EMPTY_FIELDS, keyEvent: true, pinned: false, author: 'Ada "the" Lovelace' },
      { body: 'Next day, with milliseconds.', createdAt: '2026-03-15T22:59:01.250Z', line: 17, ...EMPTY_FIELDS, keyEvent: false, pinned: true, author: null },
    ]);
  });

  it('keeps plain blog posts one entry per block: a marker followed by text is no header', () => {
    const post = parseJekyll(`${FRONT}**21:05** First.\n\nSecond.\n\n**21:10**\n- a list\n`, 'plain.md');
    expect(post.entries.map((entry) => entry.body)).toEqual(['First.', 'Second.', '- a list']);
    expect(readHeader('**21:05**\nnot an attribute line')).toBeNull();
    expect(readHeader('**21:05**\n{: broken="}')).toBeNull();
  });

  it('a code fence with header-looking lines stays inside its entry', () => {
    const body = '```\n**21:06**\n{: .entry .key}\n```';
    const text = formatJekyll({ title: 'T', slug: 't', description: '', status: 'ended', timezone: 'UTC', startsAt: '2026-03-14T20:00:00.000Z', createdAt: '', tags: [], categories: [] }, {}, [
      { body, createdAt: '2026-03-14T20:05:00.000Z' },
    ]);
    expect(parseJekyll(text, 't.md').entries).toMatchObject([{ body, keyEvent: false }]);
  });

  it('refuses a second pinned entry and a header with no entry, by line', () => {
    const twice = () => parseJekyll(`${FRONT}**21:05**\n{: .entry .pinned}\n\nOne.\n\n**21:06**\n{: .entry .pinned}\n\nTwo.\n`, 'pins.md');
    expect(twice).toThrow(ArchiveFormatError);
    expect(twice).toThrow(/line 6 is pinned already/);
    expect(() => parseJekyll(`${FRONT}**21:05**\n{: .entry}\n\n**21:06**\n{: .entry}\n\nTwo.\n`, 'empty.md')).toThrow(/without an entry/);
  });

  it('carries the newsroom fields (issue 17) as lines of their own, and reads them back', () => {
    const fields = {
      ...EMPTY_FIELDS,
      author: 'Ada Lovelace',
      coAuthors: ['Bob Author', 'Smith, Cora'],
      headline: 'Prices: "from $799"',
      location: 'San Francisco',
      tags: ['keynote', 'phones'],
      claim: 'unconfirmed',
      correctionNote: 'An earlier version gave the wrong price.',
      correctedAt: '2026-03-14T10:05:00.000Z',
    };
    const text = formatHeader({ hours: 9, minutes: 5, seconds: 0 }, null, fields);
    expect(text).toBe(
      [
        '**09:05**',
        '{: .entry}',
        '{: author="Ada Lovelace"}',
        '{: coauthors="Bob Author; Smith, Cora"}',
        '{: headline="Prices: \\"from $799\\""}',
        '{: location="San Francisco"}',
        '{: tags="keynote, phones"}',
        '{: claim="unconfirmed"}',
        '{: correction="An earlier version gave the wrong price."}',
        '{: corrected="2026-03-14T10:05:00.000Z"}',
      ].join('\n'),
    );
    expect(readHeader(text)?.fields).toEqual(fields);
  });

  it('refuses a header field the newsroom could not write, naming its line', () => {
    const file = (header: string) => `---\ntitle: T\ndate: 2026-03-14 09:00:00 +0000\n---\n\n**09:05**\n{: .entry}\n${header}\n\nText.\n`;
    const refusal = (header: string) => {
      try {
        parseJekyll(file(header), 'a.md');
      } catch (error) {
        return error instanceof ArchiveFormatError ? `${error.file}:${error.line}: ${error.message}` : String(error);
      }
      return 'imported';
    };
    expect(refusal('{: claim="maybe"}')).toBe('a.md:6: claim="maybe" is not one of unconfirmed, confirmed, denied');
    expect(refusal('{: correction="Fixed."}')).toMatch(/^a\.md:6: a correction needs both/);
    expect(() => parseJekyll(file(`{: headline="${'x'.repeat(201)}"}`), 'a.md')).toThrow(/headline is longer than 200/);
    // Tags are written as the API writes them.
    expect(parseJekyll(file('{: tags="#Keynote, keynote, Big News"}'), 'a.md').entries[0]!.tags).toEqual(['keynote', 'big-news']);
  });

  it('writes flags as classes of one line and each text field as a line of its own', () => {
    expect(formatHeader({ hours: 9, minutes: 5, seconds: 0 }, null, { ...EMPTY_FIELDS, keyEvent: true, pinned: true, author: 'Bob {B} "Author"' })).toBe(
      '**09:05**\n{: .entry .key .pinned}\n{: author="Bob {B\\} \\"Author\\""}',
    );
    expect(readHeader(formatHeader({ hours: 9, minutes: 5, seconds: 7 }, null, { ...EMPTY_FIELDS, keyEvent: false, pinned: false, author: 'Bob {B} "Author" \\' }))).toEqual({
      time: { hours: 9, minutes: 5, seconds: 7 },
      at: null,
      fields: { ...EMPTY_FIELDS, keyEvent: false, pinned: false, author: 'Bob {B} "Author" \\' },
    });
  });
});
