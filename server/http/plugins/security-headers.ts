import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

/**
 * Security headers for every HTTP response (@fastify/helmet).
 *
 * The Content-Security-Policy is strict: scripts and styles only from our own origin (the hashed
 * bundles under /assets/), never inline without the per-response nonce, never eval; no plugins;
 * no framing. Entry HTML is sanitized at write time; the CSP is the second wall if that ever fails.
 *
 * Templates that need an inline block (e.g. JSON-LD) put `nonce="${reply.cspNonce.script}"` on it.
 * A route that must differ (the embed page) passes `helmet: embedHelmet(config, origins)` in its
 * route options: helmet replaces the whole CSP for that route, so start from `cspDirectives()`.
 */
export function cspDirectives(config: Config, overrides: Record<string, string[]> = {}): Record<string, string[]> {
  const https = config.http.publicUrl?.startsWith('https:') ?? false;
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    // Authors may embed http(s) images in entries (the sanitizer drops data: and other schemes).
    imgSrc: ["'self'", 'https:', ...(https ? [] : ['http:'])],
    fontSrc: ["'self'"],
    // 'self' covers same-origin ws:/wss: for Socket.IO in current browsers (CSP level 3).
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    ...(https ? { upgradeInsecureRequests: [] } : {}),
    ...overrides,
  };
}

export function helmetOptions(config: Config): FastifyHelmetOptions {
  const https = config.http.publicUrl?.startsWith('https:') ?? false;
  return {
    global: true,
    // Adds 'nonce-…' to script-src/style-src and exposes reply.cspNonce to templates.
    enableCSPNonces: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    // HSTS only makes sense (and is only honoured) when the public origin is HTTPS.
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * Route-level helmet options for a page other sites may frame (the embed page): the same strict
 * CSP, with `frame-ancestors 'self'` plus the given origins (EMBED_ORIGINS). Use it as
 * `app.get('/posts/:slug/embed', { helmet: embedHelmet(app.config, app.config.http.embedOrigins) }, …)`
 * rather than setting a Content-Security-Policy header by hand, which would replace the whole policy.
 */
export function embedHelmet(config: Config, frameOrigins: string[]): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: cspDirectives(config, { frameAncestors: ["'self'", ...frameOrigins] }),
    },
    // X-Frame-Options cannot express a list of origins; frame-ancestors supersedes it.
    frameguard: false,
  };
}

/**
 * Widens one response's CSP for the link embeds it shows (issue 16): `frame-src` gets exactly
 * their frames' origins and `script-src` the script origins of X, Instagram and TikTok, which
 * render through their own script (server/render/link-embeds/policy.ts decides which). Every other
 * directive stays as `cspDirectives(config, overrides)` says, the per-response nonces included;
 * a page without embeds keeps the policy it had (no frame-src: only 'self' through default-src).
 * Cached pages carry no nonce, so a provider's script is allowed by its origin, which also covers
 * the further scripts it loads from there.
 */
export function allowLinkEmbeds(
  reply: FastifyReply,
  config: Config,
  sources: { frameSrc: readonly string[]; scriptSrc: readonly string[] },
  overrides: Record<string, string[]> = {},
): void {
  if (sources.frameSrc.length === 0 && sources.scriptSrc.length === 0) return;
  const base = cspDirectives(config, overrides);
  const nonce = reply.cspNonce as { script: string; style: string } | null;
  const nonced = (list: string[] = [], value: string | undefined) => (value ? [...list, `'nonce-${value}'`] : list);
  // The nonce stays right after 'self' (as on every other page); the providers' origins follow.
  reply.helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...base,
        scriptSrc: [...nonced(base.scriptSrc, nonce?.script), ...sources.scriptSrc],
        styleSrc: nonced(base.styleSrc, nonce?.style),
        frameSrc: ["'self'", ...sources.frameSrc],
      },
    },
  });
}

/**
 * For a page that acts with the user's authority (the newsroom, login, setup): never framed by
 * anyone (clickjacking). The page keeps the full policy, nonce and all (security review M1: an
 * earlier version replaced it with `frame-ancestors 'none'` alone, so inline scripts ran there);
 * that policy already says `frame-ancestors 'none'`, and X-Frame-Options tells older browsers.
 */
export function noFraming(reply: FastifyReply): void {
  reply.header('X-Frame-Options', 'DENY');
}

export const securityHeaders = fp(
  async (app) => {
    await app.register(fastifyHelmet, helmetOptions(app.config));
  },
  { name: 'security-headers', dependencies: ['config'] },
);
