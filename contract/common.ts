import { z } from 'zod';
import { canonicalLanguage } from './i18n/languages.js';

/**
 * Building blocks shared by the schemas of every noun: times, zones, slugs, labels, ids.
 * Everything under contract/ is pure zod (no Node, no DOM), so the server validates with it and
 * the browser bundles import its types (type-only imports cost the bundle nothing).
 */

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugParam = z.string().regex(SLUG_PATTERN, 'must be lowercase letters, digits and single dashes').max(80);
export const slugParams = z.object({ slug: slugParam });

/** Database ids in a path: positive integers that fit a JavaScript number exactly. */
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/**
 * An ISO 8601 instant with an offset, normalised to UTC (`…Z`) on the way in. An offset can push
 * 9999-12-31T23:59 or 0000-01-01T00:00 past the four-digit years (`+010000-…`), which sort wrongly
 * as text and break paging cursors: the UTC instant must stay within years 0000–9999.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-03-14T09:40:00Z' })
  .transform((value) => new Date(value).toISOString())
  .refine((utc) => /^\d{4}-/.test(utc), { error: 'must fall within the years 0000–9999 in UTC' });

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

export const timezone = z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' });

/**
 * A BCP 47 language tag (`en`, `de-AT`, `pt-BR`, `ar`), written canonically on the way in
 * ("EN-us" becomes "en-US"): what a post's pages, feeds and JSON-LD declare as their language.
 */
export const languageTag = z.string().transform((value, ctx) => {
  const canonical = canonicalLanguage(value);
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en, de-AT or pt-BR' });
    return z.NEVER;
  }
  return canonical;
});

/** A tag or category. */
export const label = z.string().trim().min(1).max(64);

/** Who wrote or changed something, as readers and the desk see it. */
export const personRef = z.object({ id: z.number(), name: z.string() });
export type PersonRef = z.infer<typeof personRef>;

export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-255 visible ASCII characters (a UUID is ideal)');

/** RFC 9457 problem details, the one error format of the API. */
export const fieldError = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldError>;
export const problem = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(fieldError).optional(),
});
export type Problem = z.infer<typeof problem>;

/**
 * Where to go after logging in (`?next=`): printable ASCII only. Browsers drop tabs and line
 * breaks inside URLs (`/%09/evil.example` becomes `//evil.example`), and a header cannot carry
 * them at all; the server then keeps only a path on its own origin (see safeNext).
 */
export const nextPath = z.string().max(500).regex(/^[\x21-\x7e]*$/, 'must be a path on this site, in printable ASCII');
