import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from './errors.js';
import { parseJekyll } from './jekyll.js';
import { FRONT_MATTER_MAX_BYTES, MAX_BLOCK_NESTING, MAX_BLOCKS } from './limits.js';

/**
 * Each limit of limits.ts at its edge: a file just within it imports, one just past it is
 * refused with the line it went past on, and no parser error escapes as anything but an
 * ArchiveFormatError (a 500, or a CLI batch that stops, otherwise).
 */

const FRONT = '---\ntitle: Limits\ndate: 2011-03-14 09:00:00+00:00\n---\n\n';

function failure(text: string): ArchiveFormatError {
  try {
    parseJekyll(text, 'x.md');
  } catch (error) {
    if (error instanceof ArchiveFormatError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

/** Front matter of exactly `bytes` bytes (title and date, then padding in a comment line). */
function frontMatterOf(bytes: number): string {
  const fields = 'title: Limits\ndate: 2011-03-14\n';
  return `---\n${fields}#${'x'.repeat(bytes - fields.length - 2)}\n---\n\nx\n`;
}

describe('import limits', () => {
  it(`reads ${FRONT_MATTER_MAX_BYTES / 1024} KiB of front matter, and refuses a byte more on the line it passes the limit`, () => {
    expect(parseJekyll(frontMatterOf(FRONT_MATTER_MAX_BYTES), 'x.md').title).toBe('Limits');
    expect(failure(frontMatterOf(FRONT_MATTER_MAX_BYTES + 1))).toMatchObject({ line: 4, message: expect.stringMatching(/front matter is larger than 64 KiB/) });
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    const accents = `---\ntitle: Limits\ndate: 2011-03-14\nnote: ${'é'.repeat(FRONT_MATTER_MAX_BYTES / 2)}\n---\n\nx\n`;
    expect(failure(accents).line).toBe(4);
  });

  it(`reads lists and quotes nested ${MAX_BLOCK_NESTING} deep, and refuses one level more at the block's first line`, () => {
    const list = (depth: number) => `${FRONT}Intro.\n\n${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')}\n`;
    expect(parseJekyll(list(MAX_BLOCK_NESTING), 'x.md').entries).toHaveLength(2);
    expect(failure(list(MAX_BLOCK_NESTING + 1))).toMatchObject({ line: 8, message: `lists or quotes are nested more than ${MAX_BLOCK_NESTING} deep` });
    const quote = (depth: number) => `${FRONT}${'> '.repeat(depth)}deep\n`;
    expect(parseJekyll(quote(MAX_BLOCK_NESTING), 'x.md').entries).toHaveLength(1);
    expect(failure(quote(MAX_BLOCK_NESTING + 1))).toMatchObject({ line: 6 });
    // Thousands deep fails at once instead of overflowing the stack.
    expect(failure(`${FRONT}${'>'.repeat(100_000)} x\n`)).toMatchObject({ line: 6 });
  });

  it(`reads ${MAX_BLOCKS} blocks, and refuses the next one at its line`, () => {
    const paragraphs = (count: number) => `${FRONT}${Array.from({ length: count }, (_, i) => `Entry ${i}.`).join('\n\n')}\n`;
    expect(parseJekyll(paragraphs(MAX_BLOCKS), 'x.md').entries).toHaveLength(MAX_BLOCKS);
    expect(failure(paragraphs(MAX_BLOCKS + 1))).toMatchObject({ line: 6 + 2 * MAX_BLOCKS, message: expect.stringMatching(/more than 10000 Markdown blocks/) });
  });

  it('refuses YAML aliases the yaml package will not expand at the alias, not with a ReferenceError', () => {
    const aliases = (count: number) => `---\ntitle: Aliases\ndate: 2011-03-14\nwho: &who Ada\nlist:\n${'  - *who\n'.repeat(count)}---\n\nx\n`;
    // The anchor counts as one of the values.
    expect(parseJekyll(aliases(49), 'x.md').frontMatter.list).toHaveLength(49);
    expect(failure(aliases(51))).toMatchObject({ line: 6, message: expect.stringMatching(/aliases .* expand to more than 50 values/) });
    // Few aliases, each expanding to many: a "billion laughs".
    const laughs = '---\ntitle: Laughs\ndate: 2011-03-14\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n---\n\nx\n';
    expect(failure(laughs)).toMatchObject({ line: 5 });
    expect(failure('---\ntitle: T\ndate: 2011-03-14\nx: &a 1\ny: *a\nz: *nope\n---\n\nx\n')).toMatchObject({ line: 6, message: expect.stringMatching(/^broken YAML front matter: Unresolved alias/) });
  });
});
