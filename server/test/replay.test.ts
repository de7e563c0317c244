import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay } from '../archive/replay.js';
import { createTestApp, type TestApp } from './helpers.js';

const FILE = fileURLToPath(new URL('../../fixtures/import/2011-03-14-storage-summit-opening-keynote.md', import.meta.url));
const text = readFileSync(FILE, 'utf8');

let t: TestApp;
let url: string;
beforeEach(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await t.close();
});

const bodies = async (slug: string) => ((await t.app.inject(`/api/posts/${slug}`)).json().entries as { body: string }[]).map((entry) => entry.body);

describe('replay', () => {
  it('posts a file into a live post through the API at its pace divided by the speed', async () => {
    const waits: number[] = [];
    const result = await replay({ file: FILE, text, url, token: t.tokens.editor, speed: 20, sleep: async (ms) => void waits.push(ms) });
    expect(result).toEqual({ slug: 'storage-summit-opening-keynote', posted: 8, alreadyPosted: 0 });
    const page = (await t.app.inject(`/api/posts/${result.slug}`)).json();
    expect(page.post).toMatchObject({ status: 'live', title: 'Storage Summit Opening Keynote', tags: ['Storage', 'Keynote'] });
    expect(page.entries.map((entry: { body: string }) => entry.body)).toEqual([
      'The keynote opens with a video about flash arrays. The presenter takes the stage.',
      'The demo shows a **live** migration between two arrays.',
      'Pricing, per [the press release](https://example.com/press):',
      '- 10 TB starter kit\n- 100 TB rack',
      '> "Flash is the new disk." — the CEO',
      'Config snippet from the slide:',
      '```yaml\nreplication: sync\ntargets: 2\n```',
      "That's a wrap. Thanks for following along!",
    ]);
    // 09:02:44 → 09:40 is 2236 s of keynote: 111.8 s at 20×.
    expect(waits).toEqual([111_800, 15_000, 10_500, 10_500, 39_000, 3_000, 3_000]);
  });

  it('a replay run again after an interruption continues without duplicating entries', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      // The post and three entries go through, then the network is gone for good.
      if (calls > 4) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    await expect(replay({ file: FILE, text, url, token: t.tokens.editor, speed: 1000, fetch: flaky, sleep: async () => {} })).rejects.toThrow(/cannot reach/);
    expect(await bodies('storage-summit-opening-keynote')).toHaveLength(3);

    const resumed = await replay({ file: FILE, text, url, token: t.tokens.editor, speed: 1000, sleep: async () => {} });
    expect(resumed).toEqual({ slug: 'storage-summit-opening-keynote', posted: 5, alreadyPosted: 3 });
    const all = await bodies('storage-summit-opening-keynote');
    expect(all).toHaveLength(8);
    expect(new Set(all).size).toBe(8);
  });

  it('replays an export: multi-block entries whole, key moments kept', async () => {
    const file = '---\ntitle: Night vote\ndate: 2026-03-14 21:00:00+01:00\n---\n\n**21:05**\n{: .entry .key}\n\nThe vote opens.\n\n- yes\n- no\n\n**21:06**\n{: .entry}\n\nDone.\n';
    const result = await replay({ file: 'night.md', text: file, url, token: t.tokens.editor, speed: 1000, sleep: async () => {} });
    expect(result.posted).toBe(2);
    const entries = (await t.app.inject(`/api/posts/${result.slug}`)).json().entries as { body: string; keyEvent: boolean }[];
    expect(entries.map((entry) => [entry.body, entry.keyEvent])).toEqual([
      ['The vote opens.\n\n- yes\n- no', true],
      ['Done.', false],
    ]);
  });

  it('refuses without a valid token', async () => {
    await expect(replay({ file: FILE, text, url, token: 'll_wrong', speed: 20, sleep: async () => {} })).rejects.toThrow(/401/);
  });
});
