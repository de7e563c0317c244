import type { Delivery, ReplayOutput, Webhook, WebhookCreated, WebhookInput, WebhookPatch, ReplayInput } from '../../contract/index.js';
import { api } from '../http.js';
import { element } from './dom.js';
import { banner, confirmInline, errorText } from './notices.js';

/**
 * /admin/webhooks: the endpoints partners follow posts with. Register one (the signing secret is
 * shown once, right here), pause, resume or remove it, open its delivery log and replay a post
 * from a seq. The log and the endpoints' pending counts refresh every few seconds while the tab
 * is visible, so deliveries are seen arriving.
 */

const listWebhooks = () => api<{ webhooks: Webhook[] }>('GET', '/api/webhooks');
const createWebhook = (input: WebhookInput) => api<WebhookCreated>('POST', '/api/webhooks', { json: input });
const updateWebhook = (id: number, patch: WebhookPatch) => api<Webhook>('PATCH', `/api/webhooks/${id}`, { json: patch });
const deleteWebhook = (id: number) => api<void>('DELETE', `/api/webhooks/${id}`);
const deliveries = (id: number) => api<{ deliveries: Delivery[] }>('GET', `/api/webhooks/${id}/deliveries?limit=100`);
const replay = (id: number, input: ReplayInput) => api<ReplayOutput>('POST', `/api/webhooks/${id}/replay`, { json: input });

const REFRESH_MS = 2000;

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '';
}

/** A replayed message's id ends in `_r<n>` (server/syndication/deliverer.ts): say so in the log. */
function replayTag(messageId: string): (Node | string)[] {
  const replay = /_r(\d+)$/.exec(messageId)?.[1];
  return replay ? [' ', element('span', { className: 'replay-tag' }, `replay ${replay}`)] : [];
}

function stateOf(webhook: Webhook): string {
  if (!webhook.active) return 'Paused';
  if (webhook.failures > 0) return `Failing (${webhook.failures} ${webhook.failures === 1 ? 'attempt' : 'attempts'}), next try ${when(webhook.retryAt)}`;
  return 'Active';
}

export function startWebhooks(): void {
  const body = document.querySelector<HTMLElement>('#webhooks tbody')!;
  const empty = document.querySelector<HTMLElement>('#webhooks-empty')!;
  const form = document.querySelector<HTMLFormElement>('#new-webhook')!;
  const formError = document.querySelector<HTMLElement>('#new-webhook-error')!;
  const secretBox = document.querySelector<HTMLElement>('#new-webhook-secret')!;
  const section = document.querySelector<HTMLElement>('#deliveries')!;
  const title = document.querySelector<HTMLElement>('#deliveries-title')!;
  const log = document.querySelector<HTMLElement>('#deliveries-log tbody')!;
  const logEmpty = document.querySelector<HTMLElement>('#deliveries-empty')!;
  const replayForm = document.querySelector<HTMLFormElement>('#replay')!;
  const replayPost = document.querySelector<HTMLSelectElement>('#replay-post')!;
  const replayPostLabel = document.querySelector<HTMLElement>('#replay-post-label')!;
  const replayMessage = document.querySelector<HTMLElement>('#replay-message')!;
  const failure = banner(document.querySelector<HTMLElement>('#webhook-alerts')!);
  const report = (error: unknown) => failure.show(errorText(error));

  let webhooks: Webhook[] = [];
  let selected: number | undefined;

  const showDeliveries = async () => {
    const webhook = webhooks.find((candidate) => candidate.id === selected);
    if (!webhook) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    title.textContent = `Deliveries to ${webhook.url}`;
    // A post's endpoint replays its own post; a site-wide one asks which.
    replayPostLabel.hidden = webhook.post !== null;
    const { deliveries: rows } = await deliveries(webhook.id);
    logEmpty.hidden = rows.length > 0;
    log.replaceChildren(
      ...rows.map((row) =>
        element(
          'tr',
          { dataset: { seq: String(row.seq), status: row.status } },
          element('td', {}, String(row.seq)),
          element('td', {}, row.post.slug),
          element('td', {}, row.type, ...replayTag(row.messageId)),
          element('td', { className: `delivery-${row.status}` }, row.status === 'delivered' ? 'Delivered' : `Retrying at ${when(row.nextAttemptAt)}`),
          element('td', {}, String(row.attempts)),
          element('td', {}, row.responseCode === null ? '—' : String(row.responseCode)),
          element('td', { className: 'delivery-error' }, row.lastError ?? ''),
          element('td', {}, element('time', { dateTime: row.updatedAt }, when(row.updatedAt))),
        ),
      ),
    );
  };

  const load = async () => {
    ({ webhooks } = await listWebhooks());
    failure.clear();
    empty.hidden = webhooks.length > 0;
    body.replaceChildren(
      ...webhooks.map((webhook) => {
        const toggle = element('button', { type: 'button' }, webhook.active ? 'Pause' : 'Resume');
        toggle.addEventListener('click', () => updateWebhook(webhook.id, { active: !webhook.active }).then(load, report));
        const open = element('button', { type: 'button', ariaPressed: String(selected === webhook.id) }, 'Deliveries');
        open.addEventListener('click', () => {
          selected = webhook.id;
          load().catch(report);
        });
        const remove = element('button', { type: 'button' }, 'Remove');
        remove.addEventListener('click', async () => {
          if (!(await confirmInline(remove, { message: `Remove ${webhook.url}? It stops receiving changes.`, confirm: 'Remove now', cancel: 'Keep it' }))) return;
          if (selected === webhook.id) selected = undefined;
          deleteWebhook(webhook.id).then(load, report);
        });
        return element(
          'tr',
          { dataset: { webhookId: String(webhook.id) } },
          element('td', {}, element('code', {}, webhook.url), webhook.description ? element('div', { className: 'muted' }, webhook.description) : ''),
          element('td', { dataset: { label: 'Follows' } }, webhook.post ? webhook.post.title : 'Every post'),
          element('td', { className: webhook.failures > 0 ? 'webhook-failing' : '', dataset: { label: 'State' } }, stateOf(webhook)),
          element('td', { className: 'webhook-pending', dataset: { label: 'Pending' } }, String(webhook.pending)),
          element('td', { className: 'webhook-actions' }, open, toggle, remove),
        );
      }),
    );
    await showDeliveries();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const post = String(data.get('post') ?? '');
    try {
      const created = await createWebhook({ url: String(data.get('url') ?? ''), post: post || null, description: String(data.get('description') ?? '') });
      formError.textContent = '';
      form.reset();
      secretBox.hidden = false;
      secretBox.replaceChildren(
        element('p', {}, 'Signing secret of ', element('code', {}, created.webhook.url), ' (shown only now; give it to the receiver to check webhook-signature):'),
        element('code', { id: 'webhook-secret' }, created.secret),
      );
      selected = created.webhook.id;
      await load();
    } catch (error) {
      formError.textContent = errorText(error);
    }
  });

  replayForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const webhook = webhooks.find((candidate) => candidate.id === selected);
    if (!webhook) return;
    const fromSeq = Number(new FormData(replayForm).get('fromSeq'));
    try {
      const result = await replay(webhook.id, { fromSeq, ...(webhook.post ? {} : { post: replayPost.value }) });
      replayMessage.textContent = `Replaying ${result.post.slug} from seq ${result.fromSeq}: ${result.pending} to send.`;
      await load();
    } catch (error) {
      replayMessage.textContent = errorText(error);
    }
  });

  // The rows keep their buttons (and a removal being confirmed in place): only the words change.
  const refresh = async () => {
    if (document.visibilityState !== 'visible') return;
    const { webhooks: fresh } = await listWebhooks();
    const rows = new Map([...body.querySelectorAll<HTMLElement>('tr[data-webhook-id]')].map((row) => [Number(row.dataset.webhookId), row]));
    if (fresh.length !== rows.size || fresh.some((webhook) => !rows.has(webhook.id) || webhooks.find((known) => known.id === webhook.id)?.active !== webhook.active)) return load();
    webhooks = fresh;
    for (const webhook of fresh) {
      const row = rows.get(webhook.id)!;
      const state = row.children[2] as HTMLElement;
      state.textContent = stateOf(webhook);
      state.className = webhook.failures > 0 ? 'webhook-failing' : '';
      row.children[3]!.textContent = String(webhook.pending);
    }
    await showDeliveries();
  };
  setInterval(() => void refresh().catch(report), REFRESH_MS);
  load().catch(report);
}
