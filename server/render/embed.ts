import type { Post } from '../../contract/index.js';

/**
 * The markup that puts a post's live embed page on another site: an <iframe> of
 * /posts/:slug/embed and the embed.js script that sizes it to its content (no scrollbar inside
 * the page's scroll). One builder for the composer's copy-paste snippet and the oEmbed answer.
 */

const attribute = (value: string) => value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export const EMBED_DEFAULT_SIZE = { width: 600, height: 600 };

export function embedMarkup(post: Pick<Post, 'slug' | 'title'>, publicBase: string, size: { width?: number | undefined; height?: number | undefined } = {}): string {
  const width = size.width === undefined ? '100%' : String(size.width);
  const height = size.height ?? EMBED_DEFAULT_SIZE.height;
  return `<iframe src="${attribute(`${publicBase}/posts/${post.slug}/embed`)}" title="${attribute(post.title)} (live)" width="${width}" height="${height}" style="border:0;width:100%;max-width:${width === '100%' ? '100%' : `${width}px`}" loading="lazy" data-liveline-embed></iframe><script async src="${attribute(`${publicBase}/embed.js`)}"></script>`;
}
