import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveFormatError } from './errors.js';
import { parseJekyll } from './jekyll.js';
import { ArchiveParser } from './parse-pool.js';

/**
 * ArchiveParser runs parseJekyll in a worker: what comes back across the thread must be exactly
 * what parseJekyll returns on the main thread, its errors must keep their file and line, and a
 * file that runs past the time limit must end as an ArchiveFormatError like any other bad file.
 */

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));

async function settle<T>(promise: Promise<T>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('ArchiveParser', () => {
  const parser = new ArchiveParser();
  const hasty = new ArchiveParser({ timeoutMs: 5 });
  afterAll(async () => {
    await Promise.all([parser.close(), hasty.close()]);
  });

  it.each(readdirSync(FIXTURES).sort())('reads %s as parseJekyll does on the main thread', async (name) => {
    const text = readFileSync(FIXTURES + name, 'utf8');
    let expected: unknown;
    try {
      expected = parseJekyll(text, name);
    } catch (error) {
      expected = error;
    }
    if (expected instanceof ArchiveFormatError) {
      const error = await settle(parser.parse(text, name));
      expect(error).toBeInstanceOf(ArchiveFormatError);
      expect(error).toMatchObject({ file: name, line: expected.line, message: expected.message });
    } else {
      expect(await parser.parse(text, name)).toEqual(expected);
    }
  }, 30_000);

  it('refuses a file that reads past the time limit as an ArchiveFormatError, and reads the next one', async () => {
    const slow = `---\ntitle: Slow\ndate: 2011-03-14\n---\n\n${'- x\n'.repeat(1_000_000)}`;
    const error = await settle(hasty.parse(slow, 'slow.md'));
    expect(error).toBeInstanceOf(ArchiveFormatError);
    expect(error).toMatchObject({ file: 'slow.md', line: 1, message: expect.stringMatching(/took longer than 0.005 s/) });
    // The worker was terminated; the pool starts another for the next file.
    expect((await parser.parse('---\ntitle: Next\ndate: 2011-03-14\n---\n\nx\n', 'next.md')).title).toBe('Next');
  }, 30_000);
});
