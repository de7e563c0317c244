import type { Assets } from './assets.js';
import { html, type RawHtml } from './html.js';
import { layout } from './newsroom.js';
import { formatTime } from './pages.js';
import type { Actor, Poll, Post, ReactionKind } from '../../contract/index.js';
import type { Brand } from './site.js';

/**
 * The insights page (issue 19): SVG charts drawn here, on the server, from counts only: readers
 * over time, entries per 10 minutes, the peak, reactions per entry, poll results, questions. No
 * script draws them and none is needed; the same page, after the event, is the report an editor
 * shares with colleagues (a newsroom address: only logged-in people open it).
 */

export type InsightsReport = {
  post: Post;
  readers: { at: string; readers: number }[];
  peak: { readers: number; at: string } | null;
  entriesPer10Minutes: { from: string; entries: number }[];
  entries: number;
  reactions: { entryId: number; excerpt: string; createdAt: string; counts: Partial<Record<ReactionKind, number>>; total: number }[];
  reactionsTotal: number;
  polls: Poll[];
  questions: { received: number; waiting: number };
};

const EMOJI: Record<ReactionKind, string> = { like: '👍', love: '❤️', wow: '😮', laugh: '😂', clap: '👏' };
const W = 640;
const H = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

export function insightsPage(assets: Assets, actor: Actor, csrf: string, report: InsightsReport, now: Date, brand?: Brand): string {
  const { post } = report;
  const time = (iso: string) => formatTime(iso, post.timezone, 'en').short;
  const body = html`<p><a href="/admin/posts/${post.slug}">← Back to the desk</a></p>
<h1>Insights: ${post.title}</h1>
<p class="insights-note">Counts only: readers are sampled every few seconds from the live reader count; no tracking script, no analytics cookie, nothing about any one reader. This page is also the report to share with colleagues after the event (they need a newsroom login). As of ${formatTime(now.toISOString(), post.timezone, 'en').long}.</p>
<dl class="insights-figures">
<div><dt>Peak readers</dt><dd id="insights-peak">${report.peak ? html`${report.peak.readers} <span class="muted">at ${time(report.peak.at)}</span>` : '—'}</dd></div>
<div><dt>Entries</dt><dd id="insights-entries">${report.entries}</dd></div>
<div><dt>Reactions</dt><dd id="insights-reactions">${report.reactionsTotal}</dd></div>
<div><dt>Questions received</dt><dd id="insights-questions">${report.questions.received}${report.questions.waiting ? html` <span class="muted">(${report.questions.waiting} waiting)</span>` : ''}</dd></div>
</dl>
<section aria-labelledby="chart-readers"><h2 id="chart-readers">Readers over time</h2>${readersChart(report, time)}</section>
<section aria-labelledby="chart-entries"><h2 id="chart-entries">Entries per 10 minutes</h2>${entriesChart(report, time)}</section>
<section aria-labelledby="chart-reactions"><h2 id="chart-reactions">Reactions per entry</h2>${reactionsChart(report, time)}</section>
<section aria-labelledby="chart-polls"><h2 id="chart-polls">Polls</h2>${report.polls.length ? report.polls.map((poll) => pollChart(poll)) : html`<p class="muted">No polls.</p>`}</section>`;
  return layout({ title: `Insights: ${post.title}`, assets, body, page: 'insights', actor, csrf, brand });
}

function svg(label: string, height: number, content: RawHtml | string): RawHtml {
  return html`<svg class="insights-chart" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">${content}</svg>`;
}

function yAxis(max: number, height: number): RawHtml {
  const bottom = height - PAD.bottom;
  const ticks = [0, Math.ceil(max / 2), max];
  return html`${ticks.map((tick) => {
    const y = bottom - (tick / max) * (bottom - PAD.top);
    return html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/><text x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" class="tick">${tick}</text>`;
  })}`;
}

function readersChart(report: InsightsReport, time: (iso: string) => string): RawHtml {
  const points = report.readers;
  if (points.length < 2) return html`<p class="muted">Not enough samples yet: readers are counted every few seconds while someone reads.</p>`;
  const max = Math.max(1, ...points.map((p) => p.readers));
  const first = Date.parse(points[0]!.at);
  const span = Math.max(1, Date.parse(points[points.length - 1]!.at) - first);
  const x = (at: string) => PAD.left + ((Date.parse(at) - first) / span) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / max) * (H - PAD.top - PAD.bottom);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.readers).toFixed(1)}`).join(' ');
  const area = `${line} L${x(points[points.length - 1]!.at).toFixed(1)},${H - PAD.bottom} L${PAD.left},${H - PAD.bottom} Z`;
  const peak = report.peak!;
  const label = `Readers over time, from ${time(points[0]!.at)} to ${time(points[points.length - 1]!.at)}; peak ${peak.readers} at ${time(peak.at)}.`;
  return svg(
    label,
    H,
    html`${yAxis(max, H)}<path d="${area}" class="area"/><path d="${line}" class="line"/><circle cx="${x(peak.at).toFixed(1)}" cy="${y(peak.readers).toFixed(1)}" r="4" class="peak"/><text x="${PAD.left}" y="${H - 8}" class="tick">${time(points[0]!.at)}</text><text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" class="tick">${time(points[points.length - 1]!.at)}</text>`,
  );
}

function entriesChart(report: InsightsReport, time: (iso: string) => string): RawHtml {
  const bars = report.entriesPer10Minutes;
  if (bars.length === 0) return html`<p class="muted">No entries yet.</p>`;
  const max = Math.max(1, ...bars.map((b) => b.entries));
  const slot = (W - PAD.left - PAD.right) / bars.length;
  const label = `Entries per 10 minutes: ${bars.map((b) => `${time(b.from)} ${b.entries}`).join(', ')}.`;
  return svg(
    label.length > 600 ? `Entries per 10 minutes, ${bars.length} stretches from ${time(bars[0]!.from)}, at most ${max}.` : label,
    H,
    html`${yAxis(max, H)}${bars.map((bar, i) => {
      const height = (bar.entries / max) * (H - PAD.top - PAD.bottom);
      const width = Math.max(1, Math.min(48, slot * 0.8));
      return html`<rect x="${(PAD.left + i * slot + (slot - width) / 2).toFixed(1)}" y="${(H - PAD.bottom - height).toFixed(1)}" width="${width.toFixed(1)}" height="${height.toFixed(1)}" class="bar"><title>${time(bar.from)}: ${bar.entries}</title></rect>`;
    })}<text x="${PAD.left}" y="${H - 8}" class="tick">${time(bars[0]!.from)}</text><text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" class="tick">${time(bars[bars.length - 1]!.from)}</text>`,
  );
}

function horizontalBars(label: string, rows: { name: string; value: number; note: string }[]): RawHtml {
  const row = 30;
  const height = rows.length * row + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const left = 260;
  return svg(
    label,
    height,
    html`${rows.map((r, i) => {
      const y = 4 + i * row;
      const width = (r.value / max) * (W - left - 90);
      return html`<text x="${left - 8}" y="${y + 18}" text-anchor="end" class="label">${r.name}</text><rect x="${left}" y="${y + 5}" width="${width.toFixed(1)}" height="18" class="bar"/><text x="${(left + width + 6).toFixed(1)}" y="${y + 18}" class="value">${r.note}</text>`;
    })}`,
  );
}

function reactionsChart(report: InsightsReport, time: (iso: string) => string): RawHtml {
  const top = report.reactions.slice(0, 10);
  if (top.length === 0) return html`<p class="muted">No reactions yet.</p>`;
  const rows = top.map((entry) => ({
    name: `${time(entry.createdAt)} ${entry.excerpt.length > 28 ? `${entry.excerpt.slice(0, 27)}…` : entry.excerpt}`,
    value: entry.total,
    note: `${entry.total} · ${(Object.entries(entry.counts) as [ReactionKind, number][]).map(([kind, n]) => `${EMOJI[kind]}${n}`).join(' ')}`,
  }));
  return html`${horizontalBars(`Reactions per entry, the ${top.length} most reacted to: ${rows.map((r) => `${r.name}: ${r.value}`).join('; ')}.`, rows)}${report.reactions.length > 10 ? html`<p class="muted">The 10 most reacted-to of ${report.reactions.length} entries.</p>` : ''}`;
}

function pollChart(poll: Poll): RawHtml {
  const rows = poll.options.map((option) => ({ name: option.label, value: option.votes, note: `${option.votes} (${poll.total ? Math.round((option.votes / poll.total) * 100) : 0}%)` }));
  return html`<h3>${poll.question} <span class="muted">${poll.total} votes${poll.closed ? ' · closed' : ' · open'}</span></h3>${horizontalBars(`${poll.question}: ${rows.map((r) => `${r.name} ${r.note}`).join(', ')}.`, rows)}`;
}
