import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_VECTORS } from '../test/xss-vectors.js';
import {
  MarkdownRenderer,
  RenderError,
  assertSanitizerSafe,
  renderMarkdownSync,
} from './markdown.js';

// ---------------------------------------------------------------------------
// Lenient inspection helpers. These deliberately don't trust the sanitizer's
// output to be well-formed: they scan for anything tag-like.
// ---------------------------------------------------------------------------

const FORBIDDEN_TAG = /<\s*\/?\s*(script|iframe|object|embed|svg|math|style|form|meta|base|link|input|textarea|noscript|template)\b/i;
const EVENT_HANDLER_ATTR = /<[^>]*\son\w+\s*=/i;
const TAG = /<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

interface ParsedTag {
  name: string;
  attrs: Array<[name: string, value: string]>;
}

function parseTags(html: string): ParsedTag[] {
  return [...html.matchAll(TAG)].map((match) => ({
    name: (match[1] ?? '').toLowerCase(),
    attrs: [...(match[2] ?? '').matchAll(ATTR)].map(
      (a): [string, string] => [(a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''],
    ),
  }));
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** What a browser would effectively see as the URL's start. */
function normaliseUrl(raw: string): string {
  // Browsers ignore ASCII whitespace/control characters inside the scheme.
  return decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f\s]+/g, '').toLowerCase();
}

function isSafeUrl(raw: string, schemes: readonly string[]): boolean {
  const url = normaliseUrl(raw);
  if (/^[/\\]{2}/.test(url)) return false; // protocol-relative (incl. /\ trick)
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url);
  if (scheme) return schemes.includes(scheme[1] ?? '');
  return true; // '#frag', '/path', 'relative/path'
}

function unsafeFindings(html: string): string[] {
  const findings: string[] = [];
  const tag = FORBIDDEN_TAG.exec(html);
  if (tag) findings.push(`forbidden tag ${tag[0]}`);
  // Blank out quoted attribute values first: `title="a&quot; onclick=..."` is
  // inert text, not an attribute.
  const withoutValues = html.replace(TAG, (tag) => tag.replace(/"[^"]*"|'[^']*'/g, '""'));
  if (EVENT_HANDLER_ATTR.test(withoutValues)) findings.push('event handler attribute');
  for (const { name, attrs } of parseTags(html)) {
    for (const [attr, value] of attrs) {
      if (/^on/.test(attr)) findings.push(`<${name} ${attr}>`);
      if (attr === 'style' || attr === 'srcset' || attr === 'formaction' || attr === 'xlink:href') {
        findings.push(`<${name} ${attr}>`);
      }
      const schemes = name === 'img' ? ['http', 'https'] : ['http', 'https', 'mailto'];
      if ((attr === 'href' || attr === 'src' || attr === 'action') && !isSafeUrl(value, schemes)) {
        findings.push(`<${name} ${attr}="${value}">`);
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// XSS corpus: raw HTML, Markdown constructs, encodings and parser confusion.
// ---------------------------------------------------------------------------


describe('renderMarkdownSync: XSS corpus', () => {
  it('has a substantial corpus', () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(XSS_VECTORS)('neutralises %s', (_name, body) => {
    const html = renderMarkdownSync(body);
    expect(unsafeFindings(html), html).toEqual([]);
  });
});

describe('the test helpers themselves', () => {
  // If the checker can't see an attack, a passing corpus means nothing.
  it.each([
    '<script>alert(1)</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" java&#9;script:alert(1)">x</a>',
    '<img src="data:image/png;base64,AAAA">',
    '<a href="//evil.example">x</a>',
  ])('flags %s', (html) => {
    expect(unsafeFindings(html)).not.toEqual([]);
  });

  it.each([
    '<a href="https://ok.example/a?b=1&amp;c=2">x</a>',
    '<a href="mailto:a@example.com">x</a>',
    '<a href="#section">x</a>',
    '<a href="/relative/path">x</a>',
    '<a href="relative/path">x</a>',
    '<img src="https://ok.example/i.png" alt="x">',
  ])('accepts %s', (html) => {
    expect(unsafeFindings(html)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// What authors expect to keep working.
// ---------------------------------------------------------------------------

describe('renderMarkdownSync: GitHub-flavoured Markdown', () => {
  it('renders emphasis and strikethrough', () => {
    const html = renderMarkdownSync('**bold** *italic* _also_ ~~gone~~');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('<em>also</em>');
    expect(html).toContain('<del>gone</del>');
  });

  it('renders headings without ids', () => {
    expect(renderMarkdownSync('## Kick-off')).toBe('<h2>Kick-off</h2>\n');
  });

  it('adds rel and target to external links', () => {
    const html = renderMarkdownSync('[BBC](https://www.bbc.co.uk/news "News")');
    expect(html).toBe(
      '<p><a href="https://www.bbc.co.uk/news" title="News" rel="noopener noreferrer nofollow" target="_blank">BBC</a></p>\n',
    );
  });

  it('adds rel but no target to relative links and overrides author rel/target', () => {
    const html = renderMarkdownSync('<a href="/live/other" rel="opener" target="_top">other</a>');
    expect(html).toContain('<a href="/live/other" rel="noopener noreferrer nofollow">other</a>');
  });

  it('keeps mailto links', () => {
    const html = renderMarkdownSync('[mail us](mailto:desk@example.com)');
    expect(html).toContain('<a href="mailto:desk@example.com" rel="noopener noreferrer nofollow">mail us</a>');
  });

  it('links bare URLs (GFM autolink literals)', () => {
    const html = renderMarkdownSync('see https://example.com/x now');
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">https://example.com/x</a>');
  });

  it('keeps https images with alt text', () => {
    const html = renderMarkdownSync('![Goal celebration](https://img.example/goal.jpg "Goal!")');
    // An image alone in its paragraph is a figure (images.ts); every image loads lazily.
    expect(html).toContain('<figure class="figure"><img src="https://img.example/goal.jpg" alt="Goal celebration" title="Goal!" loading="lazy" decoding="async" /></figure>');
  });

  it('renders tables with alignment', () => {
    const html = renderMarkdownSync('| Team | Score |\n|:-----|------:|\n| Home | 2 |\n| Away | 1 |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th align="left">Team</th>');
    expect(html).toContain('<td align="right">2</td>');
  });

  it('keeps the language class on fenced code and escapes its content', () => {
    const html = renderMarkdownSync('```ts\nconst a = 1 < 2;\n```');
    expect(html).toBe('<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n');
  });

  it('renders lists, including ordered lists with a start', () => {
    expect(renderMarkdownSync('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
    expect(renderMarkdownSync('3. three\n4. four')).toContain('<ol start="3">');
  });

  it('renders task lists as plain items (checkbox inputs are stripped)', () => {
    const html = renderMarkdownSync('- [x] done');
    expect(html).not.toMatch(/<input/i);
    expect(html).toContain('done');
  });

  it('renders blockquotes', () => {
    expect(renderMarkdownSync('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n');
  });

  it('does not turn single newlines into <br> (breaks: false)', () => {
    expect(renderMarkdownSync('line one\nline two')).toBe('<p>line one\nline two</p>\n');
  });

  it('keeps the text of disallowed tags', () => {
    expect(renderMarkdownSync('<span class="x">kept</span>')).toBe('<p>kept</p>\n');
  });
});

describe('assertSanitizerSafe', () => {
  it('passes with the shipped configuration', () => {
    expect(() => assertSanitizerSafe()).not.toThrow();
  });
});

// ---------------------------------------------------------------------------
// Worker-pool renderer. Inputs below were found by experiment against
// marked@18 (see the report in the PR): deep block nesting overflows the
// stack, nested emphasis and GFM email autolinks are super-linear.
// ---------------------------------------------------------------------------

const DEEP_NESTING: ReadonlyArray<readonly [name: string, body: string]> = [
  ['2,000 ">"', '>'.repeat(2_000) + ' x'],
  ['5,000 ">"', '>'.repeat(5_000) + ' x'],
  ['5,000 "> "', '> '.repeat(5_000) + 'x'],
  ['5,000 nested list markers', '- '.repeat(5_000) + 'x'],
  ['5,000 nested ordered list markers', '1. '.repeat(5_000) + 'x'],
  ['2,000 alternating quote/list', '> - '.repeat(2_000) + 'x'],
  ['10,000 nested "*"', '*'.repeat(10_000) + 'x' + '*'.repeat(10_000)],
  // ~20 KB (the entry size limit) of nested em/strong: ~1-2 s in marked.
  ['nested em/strong at the body size limit', '*a **b '.repeat(1_400) + 'x' + ' b** a*'.repeat(1_400)],
];

/** Deeper than a worker's default 4 MB stack can take (overflows in ~1 s). */
const STACK_OVERFLOW_BODY = '>'.repeat(60_000) + ' x';
/** 200 KB; GFM's email-autolink scan is quadratic here (~1 min of CPU). */
const QUADRATIC_BODY = 'a.'.repeat(100_000) + '@b';

async function settle(promise: Promise<string>): Promise<{ html?: string; error?: unknown }> {
  try {
    return { html: await promise };
  } catch (error) {
    return { error };
  }
}

describe('MarkdownRenderer', () => {
  // Budgets leave room for worker start-up under tsx (~250 ms, more on a busy
  // CI box); the pathological inputs below take far longer than any of them.
  const renderer = new MarkdownRenderer({ timeoutMs: 2_000 });
  const patient = new MarkdownRenderer({ timeoutMs: 20_000, maxThreads: 1 });
  const hasty = new MarkdownRenderer({ timeoutMs: 5 });

  beforeAll(async () => {
    await Promise.all([renderer.render('warm-up'), patient.render('warm-up')]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([renderer.close(), patient.close(), hasty.close()]);
  });

  it('renders the same HTML as renderMarkdownSync', async () => {
    const body = '# Live\n\n**12:01** Kick-off! [Match report](https://example.com/r)\n\n- a\n- b';
    expect(await renderer.render(body)).toBe(renderMarkdownSync(body));
  });

  it('renders concurrent requests', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => `entry *${i}*`);
    const htmls = await Promise.all(bodies.map((b) => renderer.render(b)));
    expect(htmls).toEqual(bodies.map((b) => renderMarkdownSync(b)));
  });

  it.each(DEEP_NESTING)('renders or rejects with RenderError for %s', async (_name, body) => {
    const { html, error } = await settle(renderer.render(body));
    if (error === undefined) {
      expect(unsafeFindings(html ?? '')).toEqual([]);
    } else {
      expect(error).toBeInstanceOf(RenderError);
    }
  }, 15_000);

  it('reports stack overflow in the worker as too_complex', async () => {
    const { error } = await settle(patient.render(STACK_OVERFLOW_BODY));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ reason: 'too_complex', message: 'Entry is too deeply nested to render' });
  }, 30_000);

  it('times out on a super-linear body and renders the next body correctly', async () => {
    const { error } = await settle(renderer.render(QUADRATIC_BODY));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ reason: 'timeout', message: 'Entry took too long to render' });
    // The stuck worker was terminated and replaced; the pool still works.
    const body = 'back to *normal*';
    expect(await renderer.render(body)).toBe(renderMarkdownSync(body));
  }, 15_000);

  it('with a tiny budget, rejects a 200 KB pathological body as a timeout', async () => {
    const { error } = await settle(hasty.render(QUADRATIC_BODY));
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ reason: 'timeout' });
  }, 15_000);

  it('keeps serving normal bodies while a hostile one is still running', async () => {
    let hostileSettled = false;
    const hostile = settle(renderer.render(QUADRATIC_BODY)).finally(() => {
      hostileSettled = true;
    });
    const normal = await renderer.render('still *here*');
    expect(normal).toBe(renderMarkdownSync('still *here*'));
    expect(hostileSettled).toBe(false);
    const { error } = await hostile;
    expect(error).toMatchObject({ reason: 'timeout' });
  }, 15_000);

  it('does not bill time spent waiting for a worker: bodies queued behind a slow one still render', async () => {
    const single = new MarkdownRenderer({ timeoutMs: 1000, maxThreads: 1 });
    try {
      await single.render('warm up');
      const hostile = settle(single.render(QUADRATIC_BODY));
      // These wait more than the 1 s budget behind the hostile body, then render quickly.
      const queued = await Promise.all(Array.from({ length: 5 }, (_, i) => single.render(`queued *${i}*`)));
      expect(queued).toEqual(Array.from({ length: 5 }, (_, i) => renderMarkdownSync(`queued *${i}*`)));
      expect((await hostile).error).toMatchObject({ reason: 'timeout' });
    } finally {
      await single.close();
    }
  }, 30_000);
});
