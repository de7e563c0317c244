import { describe, expect, it } from 'vitest';
import { XSS_VECTORS } from '../../test/xss-vectors.js';
import { isLinkEmbedProvider } from '../../../contract/link-embeds.js';
import { renderMarkdownSync } from '../markdown.js';
import { frameOrigin } from './policy.js';

/** Link embeds through the whole Markdown pipeline (marked → sanitizer → embeds), as entries are rendered. */

const figures = (html: string) => [...html.matchAll(/<figure class="(embed|link-card)"(?: data-provider="([a-z]+)")?/g)].map(([, kind, provider]) => provider ?? kind);

describe('a line that is only a URL', () => {
  it('becomes the provider’s embed: a figure with the embed URL and a link to the original', () => {
    expect(renderMarkdownSync('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s')).toBe(
      '<figure class="embed" data-provider="youtube" data-shape="video" data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90" data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s">' +
        '<a class="embed-link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s" rel="noopener noreferrer nofollow" target="_blank">' +
        '<span class="embed-provider">YouTube</span> <span class="embed-url">youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s</span></a></figure>\n',
    );
  });

  it('any other URL becomes a link card', () => {
    expect(renderMarkdownSync('https://www.bbc.co.uk/news/live/world-123')).toBe(
      '<figure class="link-card" data-url="https://www.bbc.co.uk/news/live/world-123"><a class="link-card-link" href="https://www.bbc.co.uk/news/live/world-123" rel="noopener noreferrer nofollow" target="_blank">' +
        '<span class="link-card-host">bbc.co.uk</span> <span class="link-card-url">bbc.co.uk/news/live/world-123</span></a></figure>\n',
    );
  });

  it('several URLs, one per line, each become one; text around them is left alone', () => {
    const html = renderMarkdownSync('Goal!\n\nhttps://youtu.be/dQw4w9WgXcQ\n<https://x.com/jack/status/20>\nhttps://example.com/report\n\nMore soon.');
    expect(figures(html)).toEqual(['youtube', 'x', 'link-card']);
    expect(html).toMatch(/^<p>Goal!<\/p>\n<figure/);
    expect(html).toMatch(/<p>More soon.<\/p>\n$/);
  });

  it('a URL inside a sentence, a titled link and a link in a list stay links', () => {
    for (const body of ['Watch https://youtu.be/dQw4w9WgXcQ now', '[the goal](https://youtu.be/dQw4w9WgXcQ)', '- https://youtu.be/dQw4w9WgXcQ', '`https://youtu.be/dQw4w9WgXcQ`']) {
      expect(figures(renderMarkdownSync(body)), body).toEqual([]);
    }
  });
});

describe('pasted iframe embed codes', () => {
  it('YouTube’s Share → Embed code becomes the same embed (start time kept)', () => {
    const code =
      '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Ab12Cd34&amp;start=42" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>';
    expect(renderMarkdownSync(code)).toBe(renderMarkdownSync('https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42'));
  });

  it('Vimeo’s code (wrapper div and player script) and Spotify’s code too, with the title they carry', () => {
    const vimeo =
      '<div style="padding:56.25% 0 0 0;position:relative;"><iframe src="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;badge=0&amp;autopause=0&amp;player_id=0&amp;app_id=58479" frameborder="0" allow="autoplay; fullscreen; picture-in-picture; clipboard-write" style="position:absolute;top:0;left:0;width:100%;height:100%;" title="The New Vimeo Player (You Know, For Videos)"></iframe></div><script src="https://player.vimeo.com/api/player.js"></script>';
    const html = renderMarkdownSync(vimeo);
    expect(figures(html)).toEqual(['vimeo']);
    expect(html).toContain('data-embed-url="https://player.vimeo.com/video/76979871?h=8272103f6e&amp;dnt=1"');
    expect(html).toContain('<span class="embed-title">The New Vimeo Player (You Know, For Videos)</span>');
    expect(html).not.toMatch(/<script|<div|<iframe|style=/);
    const spotify =
      '<iframe style="border-radius:12px" src="https://open.spotify.com/embed/track/4cOdK2wGLETKBW3PvgPWqT?utm_source=generator" width="100%" height="352" frameBorder="0" allowfullscreen="" allow="autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture" loading="lazy"></iframe>';
    expect(renderMarkdownSync(spotify)).toContain('data-embed-url="https://open.spotify.com/embed/track/4cOdK2wGLETKBW3PvgPWqT"');
  });

  it('an iframe pointing anywhere else is refused, as any raw HTML (no embed, no card, no frame)', () => {
    for (const code of [
      '<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe src="javascript:alert(1)//www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
      '<iframe srcdoc="<script>alert(1)</script>" src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe><iframe src="https://evil.example"></iframe>',
      '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    ]) {
      const html = renderMarkdownSync(code);
      expect(html, code).not.toMatch(/<iframe|<figure|srcdoc|javascript:|data:text/);
    }
  });
});

describe('the markup cannot be forged', () => {
  it('a hand-written embed figure stays inert: no figure, no data- attributes', () => {
    const html = renderMarkdownSync('<figure class="embed" data-provider="youtube" data-shape="video" data-embed-url="javascript:alert(1)" data-url="javascript:alert(1)"><a class="embed-link" href="javascript:alert(1)">YouTube</a></figure>');
    expect(html).not.toMatch(/<figure|data-embed-url|javascript:/);
  });

  it('a placeholder typed by the author is only text', () => {
    const html = renderMarkdownSync('LLEMBED0000000000000000N0\n\n<p>LLEMBED0000000000000000N0</p>');
    expect(html).not.toContain('<figure');
  });

  it('a quote or tag smuggled into a provider URL never leaves its attribute', () => {
    for (const body of [
      'https://youtu.be/dQw4w9WgXcQ"onload="alert(1)',
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&x='onmouseover='alert(1)",
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E',
      'https://example.com/a"onmouseover="alert(1)',
      '<https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT?"><script>alert(1)</script>>',
    ]) {
      const html = renderMarkdownSync(body);
      // Inside tags: only the attributes we write, every value quoted and closed.
      const tags = html.match(/<[a-z][^>]*>/g) ?? [];
      for (const tag of tags) expect(tag, body).toMatch(/^<(?:p|a|figure|span)(?:\s(?:href|rel|target|class|data-[a-z-]+)="[^"<>]*")*>$/);
      expect(html, body).not.toMatch(/<script|<img/);
    }
  });
});

describe('the XSS corpus', () => {
  it.each(XSS_VECTORS)('%s: any embed it makes loads only from its provider, over https', (_name, body) => {
    const html = renderMarkdownSync(body);
    for (const [, provider = '', embedUrl = ''] of html.matchAll(/<figure class="embed" data-provider="([^"]*)" data-shape="[a-z]+" data-embed-url="([^"]*)"/g)) {
      expect(isLinkEmbedProvider(provider), provider).toBe(true);
      if (isLinkEmbedProvider(provider)) expect(frameOrigin(provider, embedUrl.replace(/&amp;/g, '&')), embedUrl).toMatch(/^https:\/\//);
    }
    expect(html).not.toMatch(/data-(?:embed-)?url="(?!https?:\/\/)/);
  });
});
