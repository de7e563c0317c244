import { describe, expect, it } from 'vitest';
import { eagerFirstImage, imagesLackingAlt, type ImageCatalog } from './images.js';
import { renderMarkdownSync } from './markdown.js';

/** The image Markdown's edges (README "Images in entries"), rendered by the entries' own pipeline. */
const URL = '/uploads/aaaa.jpg';
const CATALOG: ImageCatalog = { [URL]: { width: 800, height: 600, renditions: [{ url: '/uploads/aaaa-480.webp', width: 480, height: 360, mimeType: 'image/webp' }] } };
const render = (body: string) => renderMarkdownSync(body, CATALOG);
const caption = (html: string) => /<figcaption>(.*?)<\/figcaption>/.exec(html)?.[1];

describe('image Markdown', () => {
  it.each([
    ['*Crowds. — Photo: Jane Doe*', 'Crowds. <small class="credit">Photo: Jane Doe</small>'],
    ['_Crowds – Foto: Max Müller, dpa_', 'Crowds <small class="credit">Foto: Max Müller, dpa</small>'],
    ['*Crowds — Crédit photo : AFP*', 'Crowds <small class="credit">Crédit photo : AFP</small>'],
    ['*— Photo: Only a credit*', '<small class="credit">Photo: Only a credit</small>'],
    // A dash without a label and a colon is part of the caption.
    ['*Crowds — many of them young — gathered.*', 'Crowds — many of them young — gathered.'],
    ['*Police: no arrests — Photo: [Jane](https://jane.example)*', 'Police: no arrests <small class="credit">Photo: <a href="https://jane.example" rel="noopener noreferrer nofollow" target="_blank">Jane</a></small>'],
    // Whatever a caption holds goes through the sanitizer like any entry text.
    ['*<img src=x onerror=alert(1)> — Photo: <script>alert(1)</script>x*', undefined],
  ])('%s', (line, expected) => {
    const html = render(`![Crowds](${URL})\n${line}`);
    expect(html).toMatch(/^<figure class="figure"><img /);
    if (expected !== undefined) expect(caption(html)).toBe(expected);
    expect(html).not.toMatch(/onerror|<script/);
  });

  it('takes a hard line break between image and caption like a newline', () => {
    expect(caption(render(`![Crowds](${URL})  \n*Crowds.*`))).toBe('Crowds.');
  });

  it('leaves an image among other text, or two emphasis lines, as a paragraph', () => {
    expect(render(`Look: ![Crowds](${URL})`)).toMatch(/^<p>Look: <img /);
    expect(render(`![Crowds](${URL})\n*one*\n*two*`)).toMatch(/^<p><img /);
    expect(render(`*Caption first*\n![Crowds](${URL})`)).toMatch(/^<p><em>/);
  });

  it('finds uploaded images without alt text, except decorative ones, in the rendered HTML', () => {
    const html = render(`![](${URL})\n\n![   ](${URL})\n\n![](${URL} "decorative")\n\n![ok](${URL})\n\n![](https://elsewhere.example/x.jpg)`);
    expect(imagesLackingAlt(html)).toEqual([URL, URL]);
    // A hand-written role is the author's, not the decorative mark: it is dropped.
    expect(imagesLackingAlt(render(`<img src="${URL}" role="presentation">`))).toEqual([URL]);
  });

  it('points src at the widest rendition in the original format when the original is wider than 1600 px', () => {
    const renditions = [480, 960, 1600].flatMap((width) => ['jpg', 'webp'].map((ext) => ({ url: `/uploads/bbbb-${width}.${ext}`, width, height: width / 2, mimeType: ext === 'jpg' ? 'image/jpeg' : 'image/webp' })));
    const jpeg = renderMarkdownSync('![a](/uploads/bbbb.jpg)', { '/uploads/bbbb.jpg': { width: 4000, height: 2000, renditions } });
    expect(jpeg).toContain('src="/uploads/bbbb-1600.jpg" alt="a" width="1600" height="800" srcset="/uploads/bbbb-480.webp 480w, /uploads/bbbb-960.webp 960w, /uploads/bbbb-1600.webp 1600w"');
    const webp = renderMarkdownSync('![a](/uploads/bbbb.webp)', { '/uploads/bbbb.webp': { width: 4000, height: 2000, renditions: renditions.filter((r) => r.mimeType === 'image/webp') } });
    expect(webp).toContain('src="/uploads/bbbb-1600.webp" alt="a" width="1600" height="800"');
  });

  it('makes only the first lazy image eager', () => {
    const html = eagerFirstImage(render(`![a](${URL})\n\n![b](${URL})`));
    expect([...html.matchAll(/loading="(\w+)"/g)].map((match) => match[1])).toEqual(['eager', 'lazy']);
  });
});
