/**
 * The text readers see in an entry, from its sanitized HTML: for excerpts, JSON-LD, feed titles
 * and the find-in-post index (migration 0008 indexes exactly this text through a SQL function,
 * db/functions.ts). It lives in domain/ because the database layer, below render/, needs it too.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Plain text of sanitized entry HTML; the end of a block (paragraph, item, cell…) separates words. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|hr|\/p|\/li|\/h\d|\/blockquote|\/pre|\/tr|\/td|\/th|\/div|\/figcaption|\/dt|\/dd)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (match, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return codePoint(parseInt(name.slice(2), 16)) ?? match;
      if (name.startsWith('#') && name !== '#39') return codePoint(Number(name.slice(1))) ?? match;
      return ENTITIES[name] ?? match;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** A character reference past Unicode (`&#99999999;`) stays as written: this never throws (it runs inside SQL triggers). */
function codePoint(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= 0x10ffff ? String.fromCodePoint(value) : undefined;
}

/** At most `max` characters, cut at a word boundary, with an ellipsis when shortened. */
export function excerpt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
