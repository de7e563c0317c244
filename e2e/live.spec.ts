import { expect, test, type APIRequestContext, type Page, type WebSocketRoute } from '@playwright/test';

/** The author side acts through the real API; the reader side is a real browser page. */
const token = process.env.LIVELINE_E2E_TOKEN!;
const auth = { authorization: `Bearer ${token}` };

async function createPost(request: APIRequestContext, title: string): Promise<string> {
  const response = await request.post('/api/posts', { headers: auth, data: { title } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

async function postEntry(request: APIRequestContext, slug: string, body: string): Promise<{ id: number; version: number }> {
  const response = await request.post(`/api/posts/${slug}/entries`, { headers: { ...auth, 'idempotency-key': crypto.randomUUID() }, data: { body } });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: number; version: number };
}

async function openLive(page: Page, slug: string): Promise<void> {
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
}

const entryBodies = (page: Page) => page.locator('#entries article[data-entry-id] .entry-body');

test('entries posted through the API appear live, in order, without a reload', async ({ page, request }) => {
  const slug = await createPost(request, `Live order ${test.info().workerIndex}-${Date.now()}`);
  await postEntry(request, slug, 'Already there');
  await openLive(page, slug);
  await expect(entryBodies(page)).toHaveText(['Already there']);

  const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
  for (let i = 1; i <= 10; i++) await postEntry(request, slug, `Update **${i}**`);

  // A live post reads newest first.
  await expect(entryBodies(page)).toHaveText([...Array.from({ length: 10 }, (_, i) => `Update ${10 - i}`), 'Already there']);
  await expect(page.locator('#entries strong').first()).toHaveText('10');
  // Same document: the entries arrived live, not through a reload.
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
});

test('an edit and a delete show up live', async ({ page, request }) => {
  const slug = await createPost(request, `Edits ${Date.now()}`);
  const keep = await postEntry(request, slug, 'Teh demo starts');
  const drop = await postEntry(request, slug, 'Wrong entry');
  await openLive(page, slug);
  await expect(entryBodies(page)).toHaveText(['Wrong entry', 'Teh demo starts']);

  const edited = await request.patch(`/api/entries/${keep.id}`, { headers: { ...auth, 'if-match': String(keep.version) }, data: { body: 'The demo starts' } });
  expect(edited.status()).toBe(200);
  const deleted = await request.delete(`/api/entries/${drop.id}`, { headers: { ...auth, 'if-match': String(drop.version) } });
  expect(deleted.status()).toBe(204);

  await expect(entryBodies(page)).toHaveText(['The demo starts']);
  // "Updated" and the time of the edit, instead of a bare "edited".
  await expect(page.locator(`#entry-${keep.id} .edited`)).toHaveText(/^Updated \d\d:\d\d/);
});

type Relay = (message: string | Buffer, page: WebSocketRoute, server: WebSocketRoute) => void;

/**
 * Sits between the page and the server's WebSocket (`relay` may rewrite what the page sends), so
 * the test can cut the line: while it is cut, new connections are refused.
 */
async function interpose(page: Page, relay?: Relay): Promise<{ cut(): Promise<void>; restore(): void }> {
  let blocked = false;
  const open: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (blocked) return void ws.close();
    const server = ws.connectToServer();
    open.push(ws);
    if (relay) ws.onMessage((message) => relay(message, ws, server));
  });
  return {
    async cut() {
      blocked = true;
      for (const ws of open.splice(0)) await ws.close();
    },
    restore() {
      blocked = false;
    },
  };
}

/** One entry shown, the line cut, two entries posted meanwhile, back online, one more: all four, once each. */
async function dropAndComeBack(page: Page, request: APIRequestContext, slug: string, line: { cut(): Promise<void>; restore(): void }): Promise<void> {
  await postEntry(request, slug, 'One');
  await openLive(page, slug);
  await line.cut();
  await expect(page.locator('#connection')).toHaveText('Reconnecting…');
  await expect(page.locator('#connection')).toBeVisible();
  await postEntry(request, slug, 'Two');
  await postEntry(request, slug, 'Three');
  line.restore();
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await postEntry(request, slug, 'Four');
  await expect(entryBodies(page)).toHaveText(['Four', 'Three', 'Two', 'One']);
}

test('a reader whose connection drops catches up after reconnecting, nothing missing or doubled', async ({ page, request }) => {
  const slug = await createPost(request, `Reconnect ${Date.now()}`);
  await dropAndComeBack(page, request, slug, await interpose(page));
});

test('against a node from before batched replays (a rolling upgrade), the page subscribes the old way and stays whole', async ({ page, request }) => {
  const slug = await createPost(request, `Old node ${Date.now()}`);
  const subscribes: string[] = [];
  const line = await interpose(page, (message, ws, server) => {
    const subscribe = typeof message === 'string' ? /^42(\d+)\["subscribe",(.*)\]$/.exec(message) : null;
    if (subscribe) subscribes.push(subscribe[2]!);
    // The old node's strict schema refuses the key it does not know.
    if (subscribe && subscribe[2]!.includes('"batch"')) {
      ws.send(`43${subscribe[1]}[{"ok":false,"error":{"code":"invalid-payload","message":"payload: Unrecognized key: \\"batch\\""}}]`);
      return;
    }
    server.send(message);
  });
  await dropAndComeBack(page, request, slug, line);
  // Asked once with batch, then never again: the reconnect's replay came as `change` events.
  expect(subscribes[0]).toContain('"batch":true');
  expect(subscribes.slice(1).length).toBeGreaterThanOrEqual(2);
  expect(subscribes.slice(1).every((payload) => !payload.includes('batch'))).toBe(true);
});

test('a change lost on the wire is fetched over HTTP when the next one reveals the gap', async ({ page, request }) => {
  const slug = await createPost(request, `Gap ${Date.now()}`);
  let dropNextChange = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (dropNextChange && typeof message === 'string' && message.includes('"change"')) {
        dropNextChange = false;
        return;
      }
      ws.send(message);
    });
  });
  await openLive(page, slug);
  await postEntry(request, slug, 'First');
  await expect(entryBodies(page)).toHaveText(['First']);

  dropNextChange = true;
  const catchUp = page.waitForRequest((req) => req.url().includes(`/api/posts/${slug}/changes?since=1`));
  await postEntry(request, slug, 'Lost on the wire');
  await postEntry(request, slug, 'Reveals the gap');
  await catchUp;
  await expect(entryBodies(page)).toHaveText(['Reveals the gap', 'Lost on the wire', 'First']);
});

test('a <script> in an entry body never runs', async ({ page, request }) => {
  const slug = await createPost(request, `XSS ${Date.now()}`);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const payloads = [
    '<script>window.pwned = 1; alert("script")</script>',
    '<img src=x onerror="window.pwned = 2; alert(\'img\')">',
    '[click](javascript:window.pwned=3)',
  ];
  await postEntry(request, slug, payloads[0]!);
  await openLive(page, slug);
  for (const body of payloads.slice(1)) await postEntry(request, slug, body);
  await expect(page.locator('#entries article[data-entry-id]')).toHaveCount(3);
  await page.locator('#entries a').filter({ hasText: 'click' }).click({ noWaitAfter: true }).catch(() => undefined);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('#entries script').count()).toBe(0);
});
