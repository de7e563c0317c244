/**
 * Markdown → sanitized HTML.
 *
 * Entry bodies are untrusted author input that ends up in every reader's
 * browser, so the pipeline is: `marked` (GFM) → `sanitize-html` with a strict
 * allowlist. Rendering happens in worker threads (MarkdownRenderer) because
 * some inputs make marked recurse deeply or take super-linear time, and a
 * single hostile body must not stall the event loop for everyone else.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { groupFigures, IMAGE_SANITIZE, imageFigures, imageTransform, type ImageCatalog } from './images.js';
import { linkEmbedPass } from './link-embeds/pipeline.js';
import { TimedWorkerPool, WorkerLimitError, type Clocked, type WorkerLimitReason } from './worker-pool.js';

// A dedicated instance: extensions someone registers on the global `marked`
// elsewhere in the process must not change what we emit.
const marked = new Marked({ gfm: true, breaks: false, async: false });
// Figures, captions, credits and galleries (images.ts).
marked.use(imageFigures);

const LINK_REL = 'noopener noreferrer nofollow';

/** Absolute http(s) URLs open in a new tab; everything else stays in-page. */
function isExternalHref(href: string | undefined): boolean {
  return href !== undefined && /^\s*https?:\/\//i.test(href);
}

/**
 * Forces our own rel/target on every link. `rel` and `target` are only in the
 * attribute allowlist so that *this* transform's output survives; whatever the
 * author wrote for them is overwritten or dropped here.
 */
function transformLink(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { target: _authorTarget, rel: _authorRel, ...rest } = attribs;
  const out: sanitizeHtml.Attributes = { ...rest, rel: LINK_REL };
  if (isExternalHref(rest.href)) out.target = '_blank';
  return { tagName, attribs: out };
}

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'strong', 'b', 'em', 'i', 'del', 's', 'blockquote',
    'ul', 'ol', 'li', 'code', 'pre', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub',
    ...IMAGE_SANITIZE.tags,
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    // Every <img> is rebuilt by images.ts's transform: the extra attributes are only ever its own.
    img: ['src', 'alt', 'title', 'width', 'height', ...IMAGE_SANITIZE.imgAttributes],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  // Implicitly allows `class` on <code>, but only marked's fence-language
  // classes, so authors can't hook into site CSS.
  allowedClasses: { code: [/^language-[\w-]+$/], ...IMAGE_SANITIZE.classes },
  allowedSchemes: ['http', 'https', 'mailto'],
  // No data: images — they can carry SVG/HTML payloads and bypass CSP img-src.
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: transformLink },
};

/**
 * Synchronous Markdown → safe HTML. Use MarkdownRenderer on request paths. `images`: what the
 * main thread knows of the uploads the body mentions (dimensions, renditions), so the output is
 * a pure function of its arguments.
 */
export function renderMarkdownSync(body: string, images: ImageCatalog = {}): string {
  // Lone provider URLs and iframe embed codes become link embeds, built around the sanitizer (link-embeds/pipeline.ts).
  // marked.lexer() skips the processAllTokens hook marked.parse() runs, so the figures (images.ts) are grouped here.
  const embeds = linkEmbedPass(groupFigures(marked.lexer(body)));
  const html = marked.parser(embeds.tokens);
  return embeds.restore(sanitizeHtml(html, { ...SANITIZE_OPTIONS, transformTags: { ...SANITIZE_OPTIONS.transformTags, img: imageTransform(images) } }));
}

export type RenderErrorReason = WorkerLimitReason;

const RENDER_ERROR_MESSAGES: Record<RenderErrorReason, string> = {
  too_complex: 'Entry is too deeply nested to render',
  timeout: 'Entry took too long to render',
};

/** A body we refuse to render; the message is safe to show to the author. */
export class RenderError extends Error {
  readonly reason: RenderErrorReason;

  constructor(reason: RenderErrorReason, options?: { cause?: unknown }) {
    super(RENDER_ERROR_MESSAGES[reason], options);
    this.name = 'RenderError';
    this.reason = reason;
  }
}

export interface MarkdownRendererOptions {
  /** Budget for the render itself, counted from the moment a worker starts on it. */
  timeoutMs?: number;
  /** Budget including the wait for a free worker, so a flood cannot queue requests forever. */
  queueTimeoutMs?: number;
  maxThreads?: number;
  /** Looks up the uploads a body mentions (main thread, before the render): see images.ts. */
  images?: (body: string) => ImageCatalog;
}

/** What the worker receives: the body, the uploads it mentions, and a port to say when it starts (so queueing is not billed). */
export type RenderTask = Clocked<{ body: string; images: ImageCatalog }>;

/**
 * Renders in a small worker pool (TimedWorkerPool). A render that exceeds
 * `timeoutMs` has its worker terminated (piscina replaces it), so a
 * pathological body costs at most one thread for `timeoutMs`, never the event loop.
 */
export class MarkdownRenderer {
  readonly #pool: TimedWorkerPool<{ body: string; images: ImageCatalog }, string>;
  readonly #images: (body: string) => ImageCatalog;

  constructor(options: MarkdownRendererOptions = {}) {
    this.#images = options.images ?? (() => ({}));
    this.#pool = new TimedWorkerPool({
      worker: { name: 'markdown.worker', besideUrl: import.meta.url },
      timeoutMs: options.timeoutMs ?? 1000,
      queueTimeoutMs: options.queueTimeoutMs ?? 15_000,
      // One warm worker so the first render doesn't pay worker start-up
      // (which under tsx includes compiling the worker).
      minThreads: 1,
      maxThreads: options.maxThreads ?? 2,
    });
  }

  async render(body: string): Promise<string> {
    // Under load, renders wait for a free worker; only the render itself counts against timeoutMs,
    // so ordinary entries are not refused because hostile or many others were queued first.
    try {
      return await this.#pool.run({ body, images: this.#images(body) });
    } catch (err) {
      if (err instanceof WorkerLimitError) throw new RenderError(err.reason, { cause: err.cause });
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

// Classic vectors that must come out inert. If a dependency upgrade or config
// change ever lets one through, we'd rather not start than serve XSS.
const SELF_TEST_VECTORS = [
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '<script>alert(1)</script>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '![x](data:text/html,<script>alert(1)</script>)',
  '<svg onload=alert(1)>',
];

const SELF_TEST_FORBIDDEN = /<script|onerror|onload|javascript:|data:/i;

/** Start-up check that the sanitizer still neutralises known vectors. */
export function assertSanitizerSafe(): void {
  for (const vector of SELF_TEST_VECTORS) {
    const html = renderMarkdownSync(vector);
    const hit = SELF_TEST_FORBIDDEN.exec(html);
    if (hit) {
      throw new Error(
        `Markdown sanitizer self-test failed: ${JSON.stringify(vector)} rendered as ${JSON.stringify(html)} (contains ${JSON.stringify(hit[0])})`,
      );
    }
  }
}
