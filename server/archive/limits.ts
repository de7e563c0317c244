/**
 * How big and how deep an imported Markdown file may be, in one place (README, "Archives").
 *
 * An import is untrusted text, and both parsers have inputs on which they take super-linear time
 * or recurse once per level: the yaml package checks unique keys pairwise, marked's block lexer
 * re-scans the rest of a list or quote for every level it is nested. Each limit is far above what
 * a real liveblog needs, and low enough that reading a file stays roughly linear in its size. A
 * file past one is refused as an ArchiveFormatError naming the line where it went past.
 */

/** The YAML front matter: a post's metadata fits in a few hundred bytes; a WordPress export in a few KiB. */
export const FRONT_MATTER_MAX_BYTES = 64 * 1024;

/** What the yaml package may expand (its maxAliasCount): a real file uses a few aliases, an "alias bomb" billions. */
export const YAML_MAX_ALIAS_COUNT = 50;

/** Lists and quotes inside one another: real entries nest three or four deep. */
export const MAX_BLOCK_NESTING = 16;

/**
 * Top-level Markdown blocks (paragraphs, lists, quotes, headings, code blocks, a time marker on
 * its own line…): each becomes an entry. A twelve-hour event with an update a minute has ~720.
 */
export const MAX_BLOCKS = 10_000;

/**
 * How long a worker may spend reading one file (parse-pool.ts). An 8 MB liveblog within the other
 * limits reads in about 0.3 s on a busy two-core machine; a file that runs past this is refused.
 */
export const PARSE_TIME_LIMIT_MS = 5_000;

/** A WordPress export (WXR): posts, pages, attachments and menu items are all `<item>`s. */
export const WXR_MAX_ITEMS = 50_000;

/** One `<item>` (a post with its comments): a liveblog of a thousand entries and their edits is a few MiB. */
export const WXR_MAX_ITEM_BYTES = 8 * 1024 * 1024;

/** Comments of one item: a liveblog's entries and each of their edits and deletions are comments. */
export const WXR_MAX_COMMENTS_PER_ITEM = 20_000;

/** How long the worker may spend reading one WXR file: a whole site's export is larger than one post. */
export const WXR_PARSE_TIME_LIMIT_MS = 30_000;
