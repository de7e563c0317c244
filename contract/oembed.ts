import { z } from 'zod';

/**
 * Liveline as an oEmbed provider (https://oembed.com/): `GET /oembed?url=<a post's URL>` answers
 * the JSON a CMS (WordPress, Ghost, Medium-like editors) needs to embed the live post when an
 * editor pastes its link. Discovery: every post page carries a
 * `<link rel="alternate" type="application/json+oembed">` naming this endpoint.
 */
export const oembedQuery = z.object({
  url: z.string().min(1).max(2000),
  /** Only JSON is served; `xml` gets the 501 the specification asks for. */
  format: z.enum(['json', 'xml']).optional(),
  maxwidth: z.coerce.number().int().min(1).max(10_000).optional(),
  maxheight: z.coerce.number().int().min(1).max(10_000).optional(),
});
export type OembedQuery = z.infer<typeof oembedQuery>;

/** The `rich` response of oEmbed 1.0 (snake_case, as the specification names its fields). */
export const oembedResponse = z.object({
  version: z.literal('1.0'),
  type: z.literal('rich'),
  title: z.string(),
  provider_name: z.string(),
  provider_url: z.string(),
  html: z.string(),
  width: z.number(),
  height: z.number(),
  cache_age: z.number(),
});
export type OembedResponse = z.infer<typeof oembedResponse>;
