import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveFormatError } from '../errors.js';
import { WXR_MAX_ITEMS } from '../limits.js';
import { isWxr, parseWxr } from './parse.js';

const LIVEBLOG = readFileSync(fileURLToPath(new URL('../../../fixtures/wordpress/liveblog.wordpress.xml', import.meta.url)), 'utf8');

function failure(text: string): ArchiveFormatError {
  try {
    parseWxr(text, 'hostile.xml');
  } catch (error) {
    if (error instanceof ArchiveFormatError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('parseWxr on hostile files', () => {
  it('knows a WXR file by its content, not its name', () => {
    expect(isWxr(LIVEBLOG)).toBe(true);
    expect(isWxr('---\ntitle: x\n---\n')).toBe(false);
    expect(isWxr('<rss version="2.0"><channel></channel></rss>')).toBe(false);
  });

  it('reports an item nested past the parser limit as that item, and reads the others', () => {
    const deep = `${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}`;
    const wxr = parseWxr(LIVEBLOG.replace('<description></description>', `<description>${deep}</description>`), 'deep.xml');
    expect(wxr.broken).toEqual([{ line: 23, reason: expect.stringMatching(/cannot be read: .*nested/i) }]);
    expect(wxr.items.map((item) => item.wpId)).toEqual(['11', '12']);
  });

  it('refuses more than WXR_MAX_ITEMS items, an unclosed CDATA section or item, at their line', () => {
    const many = `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n${'<item></item>\n'.repeat(WXR_MAX_ITEMS + 1)}</channel></rss>`;
    expect(failure(many)).toMatchObject({ line: WXR_MAX_ITEMS + 2, message: expect.stringMatching(/more than 50000 items/) });
    const unclosed = LIVEBLOG.replace('</channel>', '<item><title><![CDATA[never closed</title></item>\n</channel>');
    expect(failure(unclosed)).toMatchObject({ line: LIVEBLOG.split('\n').findIndex((line) => line.startsWith('</channel>')) + 1, message: expect.stringMatching(/CDATA section is never closed/) });
    expect(failure(LIVEBLOG.replace(/<\/item>\s*<\/channel>/, '</channel>'))).toMatchObject({ message: expect.stringMatching(/<item> is never closed/) });
  });
});
