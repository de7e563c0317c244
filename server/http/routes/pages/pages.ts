import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeTag, slugParams } from '../../../../contract/index.js';
import { decodeCursor, encodeCursor } from '../../../domain/cursor.js';
import { AppError } from '../../../domain/errors.js';
import { homePage, notFoundPage, postPage, type EntryOrder, type Theme } from '../../../render/pages.js';
import { notModified, postListVersion } from '../../caching.js';
import { sendCompressible } from '../../compression.js';
import { LiveEdgeCache } from '../../live-edge-cache.js';
import { linkEmbedPolicy, NO_LINK_EMBEDS, type LinkEmbedPolicy } from '../../../render/link-embeds/policy.js';
import { allowLinkEmbeds, embedHelmet } from '../../plugins/security-headers.js';
import { publicOrigin } from '../../public-origin.js';

/**
 * What readers open: the home page (the list of posts), a post's page, and the embed page other
 * sites frame. Server-rendered, complete without JavaScript, cached by ETag; a post's live edge
 * is rendered once per change, however many readers ask (LiveEdgeCache). Renamed posts redirect.
 */

const HTML = 'text/html; charset=utf-8';

/**
 * `?order=newest|oldest` and `?filter=key` (issue 15): the reader's view without JavaScript. A
 * value the page does not know is ignored, as a foreign cursor is: the reader gets the default view.
 */
const pageQuery = z.object({
  before: z.string().max(200).optional(),
  after: z.string().max(200).optional(),
  order: z.enum(['newest', 'oldest']).optional().catch(undefined),
  filter: z.enum(['key']).optional().catch(undefined),
  // `?tag=keynote` (issue 17): written as tags are (contract/tags.ts); one that cannot be a tag is ignored.
  tag: z.string().max(200).optional().catch(undefined).transform((value) => (value === undefined ? undefined : normalizeTag(value) || undefined)),
});
type PageQuery = { before?: string | undefined; after?: string | undefined; theme?: Theme | undefined; order?: EntryOrder | undefined; filter?: 'key' | undefined; tag?: string | undefined };
/** The embed also takes its colours: `?theme=light|dark|auto` (light by default) and `?accent=#rrggbb` (applied by its script). */
const embedQuery = pageQuery.extend({ theme: z.enum(['light', 'dark', 'auto']).optional(), accent: z.string().max(20).optional() });

export const pageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;

  const language = app.config.site.defaultLanguage;
  /** The branding and language of the pages around the posts (home, not found). */
  const siteContext = () => ({ brand: app.services.site.get(), language });

  app.get('/', async (request, reply) => {
    const list = posts.cards(200);
    // A fresh install's home page points to the setup page; once an account exists, to the newsroom.
    const firstRun = app.services.users.needsSetup();
    const site = siteContext();
    // Entries touch their post (updatedAt), so the list's version covers counts, last updates and images.
    const etag = `W/"home-${postListVersion(list)}-${firstRun ? 'setup' : 'ready'}-${app.assets.version}-s${site.brand.version}-${language}"`;
    if (notModified(request, reply, etag)) return reply.code(304).send();
    return reply.type(HTML).send(homePage({ posts: list, url: `${publicOrigin(request)}/`, firstRun, ...site }, app.assets));
  });

  // Keyed by post and variant (page or embed), versioned by the ETag; the origin in the page is
  // the server's own (publicOrigin), so nothing a client sends can add an item.
  const liveEdges = new LiveEdgeCache<string>();
  // The link embeds of each cached page, for its CSP (same keys and versions as liveEdges; small).
  const embedPolicies = new Map<string, { etag: string; policy: LinkEmbedPolicy }>();
  const frameAncestors = (embed: boolean): Record<string, string[]> => (embed ? { frameAncestors: ["'self'", ...app.config.http.embedOrigins] } : {});

  const renderPost = (embed: boolean) => async (request: FastifyRequest<{ Params: { slug: string }; Querystring: PageQuery }>, reply: FastifyReply) => {
    const { slug } = request.params;
    const theme: Theme = embed ? (request.query.theme ?? 'light') : 'auto';
    // The embed has one view: newest first, every entry. The reader page's views are few and named
    // by the server (two orders, two filters), so the cache key stays bounded.
    const order = embed ? undefined : request.query.order;
    const filter = embed ? undefined : request.query.filter;
    const tag = embed || filter ? undefined : request.query.tag;
    // A cursor this server did not issue is ignored: the reader gets the live edge. The key-moments view has none.
    const cursor = request.query.before === undefined || filter || tag ? undefined : decodeCursor(request.query.before);
    // "Load later entries" without JavaScript: the page after a cursor (an ended post read from its start).
    const after = request.query.after === undefined || filter || tag || cursor || embed ? undefined : decodeCursor(request.query.after);
    try {
      const post = posts.bySlug(slug);
      const brand = app.services.site.get();
      const older = cursor ? `-${encodeCursor(cursor)}` : after ? `-after-${encodeCursor(after)}` : '';
      // An ended post opens at its start, like an article (issue 15), unless the reader asked for newest first.
      const fromStart = !embed && !filter && !tag && !cursor && !after && post.status === 'ended' && order !== 'newest';
      const view = `${order ? `-${order}` : ''}${filter ? `-${filter}` : ''}${tag ? `-tag-${encodeURIComponent(tag)}` : ''}`;
      // The branding and the language (DEFAULT_LANGUAGE may change across a restart) are part of the page.
      // Bylines are read as they are now (issue 17): a profile change is a new page too.
      const etag = `W/"${post.id}-${post.lastSeq}-${post.version}-${app.assets.version}-s${brand.version}-p${app.stores.profiles.version}-${post.language}${embed ? `-embed-${theme}` : ''}${view}${older}"`;
      if (notModified(request, reply, etag)) return reply.code(304).send();
      const url = `${publicOrigin(request)}/posts/${post.slug}`;
      // Three themes at most per post, three orders and two filters: the key stays the server's choice, not the client's.
      // A tag view is not kept: tags are many (bounded only by what entries say), so the cache would not be the server's choice.
      const cacheKey = cursor || after || tag ? undefined : `${post.id}|${embed}|${theme}|${order ?? ''}|${filter ?? ''}`;
      const cached = cacheKey && liveEdges.get(cacheKey, etag);
      const cachedPolicy = cacheKey ? embedPolicies.get(cacheKey) : undefined;
      if (cached && cachedPolicy?.etag === etag) {
        allowLinkEmbeds(reply, app.config, cachedPolicy.policy, frameAncestors(embed));
        return sendCompressible(request, reply, cached, HTML);
      }
      const highlights = posts.highlights(post);
      const page = filter
        ? (({ entries, more }) => ({ entries, nextCursor: null, moreKeyMoments: more }))(posts.keyMoments(post))
        : tag
          ? { entries: posts.tagged(post, tag).entries, nextCursor: null }
          : cursor
            ? posts.entriesBefore(slug, cursor, 50)
            : after || fromStart
              ? posts.entriesAfter(slug, after, 50)
              : posts.withLatestEntries(slug);
      const image = cursor || after || embed ? undefined : posts.shareImage(post);
      // The embeds of what this page shows decide its CSP (issue 16, server/render/link-embeds/policy.ts);
      // pages away from the default view have no script, so their embeds stay links.
      const shownHtml = [post.summaryHtml, ...page.entries.map((entry) => entry.html), ...(highlights.pinned ? [highlights.pinned.html] : [])];
      const policy = cursor || after ? NO_LINK_EMBEDS : linkEmbedPolicy(shownHtml, brand.linkEmbeds);
      const html = postPage(
        {
          post, ...page, ...highlights, older: Boolean(cursor || after), url, embed, theme, brand, image,
          ...(after ? { order: 'oldest' as const } : order ? { order, orderFromUrl: true } : {}), ...(filter ? { filter } : {}), ...(tag ? { tag } : {}),
          linkEmbeds: { ...policy, enabled: brand.linkEmbeds.enabled },
        },
        app.assets,
      );
      allowLinkEmbeds(reply, app.config, policy, frameAncestors(embed));
      if (cacheKey) {
        embedPolicies.delete(cacheKey);
        // Bounded like the pages: the oldest key goes first.
        if (embedPolicies.size >= 10_000) embedPolicies.delete(embedPolicies.keys().next().value as string);
        embedPolicies.set(cacheKey, { etag, policy });
      }
      // Older pages are not kept; the compression plugin compresses them as it sends them.
      if (cacheKey) return sendCompressible(request, reply, liveEdges.set(cacheKey, etag, html), HTML);
      return reply.type(HTML).send(html);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        // A renamed post keeps its old links working.
        const moved = posts.movedTo(slug);
        if (moved) {
          // The view travels with it: only the parameters the page knows, re-encoded.
          const kept = new URLSearchParams();
          for (const name of ['before', 'after', 'order', 'filter', 'theme', 'tag'] as const) {
            const value = request.query[name];
            if (value) kept.set(name, value);
          }
          const query = kept.size ? `?${kept.toString()}` : '';
          return reply.redirect(`/posts/${moved}${embed ? '/embed' : ''}${query}`, 301);
        }
        return reply.code(404).type(HTML).send(notFoundPage(app.assets, siteContext()));
      }
      throw error;
    }
  };

  app.get('/posts/:slug', { schema: { params: slugParams, querystring: pageQuery } }, renderPost(false));
  // The same strict policy as every page, except that the configured sites (and this one) may frame it.
  app.get('/posts/:slug/embed', { schema: { params: slugParams, querystring: embedQuery }, helmet: embedHelmet(app.config, app.config.http.embedOrigins) }, renderPost(true));
};
