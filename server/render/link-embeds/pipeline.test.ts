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

  it.each([
    ['soundcloud', '<iframe width="100%" height="166" scrolling="no" frameborder="no" allow="autoplay" src="https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/293&color=%23ff5500&auto_play=false"></iframe><div style="font-size: 10px;"><a href="https://soundcloud.com/forss" title="Forss">Forss</a></div>', 'https://w.soundcloud.com/player/?url=https%3A%2F%2Fapi.soundcloud.com%2Ftracks%2F293'],
    ['applepodcasts', '<iframe allow="autoplay *; encrypted-media *; fullscreen *; clipboard-write" frameborder="0" height="175" style="width:100%;max-width:660px;overflow:hidden;border-radius:10px;" sandbox="allow-forms allow-popups allow-same-origin allow-scripts allow-storage-access-by-user-activation allow-top-navigation-by-user-activation" src="https://embed.podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678"></iframe>', 'https://embed.podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678'],
    ['datawrapper', '<iframe title="Turnout" aria-label="Map" id="datawrapper-chart-Ls5zZ" src="https://datawrapper.dwcdn.net/Ls5zZ/4/" scrolling="no" frameborder="0" style="width: 0; min-width: 100% !important; border: none;" height="400" data-external="1"></iframe><script type="text/javascript">!function(){"use strict";window.addEventListener("message",function(a){})}();</script>', 'https://datawrapper.dwcdn.net/Ls5zZ/4/'],
    ['googlemaps', '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.29!3d48.85" width="600" height="450" style="border:0;" allowfullscreen="" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>', 'https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.29!3d48.85'],
    ['facebook', '<iframe src="https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F20531316728%2Fposts%2F10154009990506729%2F&show_text=true&width=500" width="500" height="498" style="border:none;overflow:hidden" scrolling="no" frameborder="0" allowfullscreen="true" allow="autoplay; clipboard-write; encrypted-media; picture-in-picture; web-share"></iframe>', 'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F20531316728%2Fposts%2F10154009990506729&show_text=true&width=500'],
    ['x', '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">just setting up my twttr</p>&mdash; jack (@jack) <a href="https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw">March 21, 2006</a></blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>', 'https://twitter.com/jack/status/20'],
    ['instagram', '<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="https://www.instagram.com/p/C5hT3PZt2Hn/?utm_source=ig_embed&amp;utm_campaign=loading" data-instgrm-version="14" style="background:#FFF;"><div><a href="https://www.instagram.com/p/C5hT3PZt2Hn/?utm_source=ig_embed" target="_blank">View this post on Instagram</a></div></blockquote> <script async src="//www.instagram.com/embed.js"></script>', 'https://www.instagram.com/p/C5hT3PZt2Hn/'],
    ['tiktok', '<blockquote class="tiktok-embed" cite="https://www.tiktok.com/@scout2015/video/6718335390845095173" data-video-id="6718335390845095173" style="max-width: 605px;min-width: 325px;" > <section> <a target="_blank" title="@scout2015" href="https://www.tiktok.com/@scout2015?refer=embed">@scout2015</a> Scramble up ur name</section> </blockquote> <script async src="https://www.tiktok.com/embed.js"></script>', 'https://www.tiktok.com/@scout2015/video/6718335390845095173'],
    ['bluesky', '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l" data-bluesky-cid="bafyrei"><p lang="en">Hello</p>&mdash; Bluesky (<a href="https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur?ref_src=embed">@bsky.app</a>) <a href="https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l?ref_src=embed">October 1, 2024</a></blockquote><script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>', 'https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l'],
    ['flourish', '<div class="flourish-embed flourish-chart" data-src="visualisation/1810417"><script src="https://public.flourish.studio/resources/embed.js"></script><noscript><img src="https://public.flourish.studio/visualisation/1810417/thumbnail" width="100%" alt="chart visualization" /></noscript></div>', 'https://flo.uri.sh/visualisation/1810417/embed'],
  ])('%s’s embed code becomes its embed', (provider, code, embedUrl) => {
    const html = renderMarkdownSync(code);
    expect(figures(html)).toEqual([provider]);
    expect(html).toContain(`data-embed-url="${embedUrl.replace(/&/g, '&amp;')}"`);
    expect(html).not.toMatch(/<script|<iframe|<blockquote|<div|style=/);
  });

  it('a blockquote code whose link is another provider’s, or nobody’s, stays refused raw HTML', () => {
    for (const code of [
      '<blockquote class="twitter-tweet"><a href="https://evil.example/jack/status/20">x</a></blockquote><script src="https://evil.example/x.js"></script>',
      '<blockquote class="instagram-media" data-instgrm-permalink="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></blockquote>',
      '<blockquote class="twitter-tweet"><a href="javascript:alert(1)//twitter.com/jack/status/20">x</a></blockquote>',
    ]) {
      const html = renderMarkdownSync(code);
      expect(html, code).not.toMatch(/<figure|<script|javascript:/);
    }
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
  it('a hand-written embed figure stays inert: no embed markup, no data- attributes', () => {
    const html = renderMarkdownSync('<figure class="embed" data-provider="youtube" data-shape="video" data-embed-url="javascript:alert(1)" data-url="javascript:alert(1)"><a class="embed-link" href="javascript:alert(1)">YouTube</a></figure>');
    expect(html).not.toMatch(/class="embed"|data-embed-url|javascript:/);
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
