/**
 * How an entry's tag is written (issue 17): one rule for the composer's `#tag`, the API's
 * `tags` and the reader page's `?tag=`, so "#Keynote", "keynote" and "KEYNOTE" are one tag and a
 * URL parameter can only name a tag that could exist. Pure (no zod): the browser bundles it too.
 */
export const TAG_MAX_LENGTH = 32;
export const TAGS_MAX = 10;

/** Lower case, NFKC, a leading `#` dropped, spaces as dashes; letters, digits, `-` and `_` only. '' when nothing is left. */
export function normalizeTag(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/^#+/, '')
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}_-]/gu, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, TAG_MAX_LENGTH);
}
