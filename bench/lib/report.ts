import type { Accounting, LatencySummary, Saturation } from './stats.js';

/** One line of the results: a scenario, a variant (ours or a baseline) and what was measured. */
export type Row = {
  scenario: 'fanout' | 'capacity' | 'storm' | 'page' | 'writes' | 'catchup' | 'cluster' | 'herd' | 'arrival' | 'memory' | 'react' | 'vote';
  variant: string;
  readers?: number;
  latency?: LatencySummary;
  /** Latency percentile curve [percentile, ms], for the SVG. */
  curve?: [number, number][];
  accounting?: Accounting;
  saturation?: Saturation;
  discarded?: boolean;
  modeled?: boolean;
  metrics: Record<string, number | string | boolean | null | undefined>;
  target?: { text: string; met: boolean | null };
  notes: string[];
  error?: string;
};

const fmt = (value: number | undefined, digits = 1): string => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const ms = (value: number | undefined) => (value === undefined ? '–' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${fmt(value, value < 10 ? 2 : 1)} ms`);

/** The figure a reader of the table cares about, per scenario. */
export function summaryOf(row: Row): string {
  if (row.error) return `error: ${row.error.split('\n')[0]}`;
  const m = row.metrics;
  const parts: string[] = [];
  if (row.accounting) parts.push(`${row.accounting.delivered}/${row.accounting.expected} delivered (${fmt(row.accounting.ratio * 100, 2)}%)`);
  if (row.latency) parts.push(`p50 ${ms(row.latency.p50Ms)}, p99 ${ms(row.latency.p99Ms)}, max ${ms(row.latency.maxMs)}`);
  switch (row.scenario) {
    case 'fanout':
      if (typeof m.requestsPerSecond === 'number') parts.push(`${fmt(m.requestsPerSecond, 0)} req/s`);
      if (typeof m.serverCpuMsPerRequest === 'number') parts.push(`${fmt(m.serverCpuMsPerRequest, 3)} ms server CPU/req`);
      if (typeof m.serverCpuUsPerDelivery === 'number') parts.push(`server CPU ${fmt(m.serverCpuUsPerDelivery, 1)} µs/delivery`);
      if (typeof m.payloadBytes === 'number') parts.push(`${m.payloadBytes} B/msg`);
      break;
    case 'cluster':
      if (typeof m.serverCpuUsPerDelivery === 'number') parts.push(`${row.variant.startsWith('single') ? 'server' : 'fan-out nodes'} CPU ${fmt(m.serverCpuUsPerDelivery, 1)} µs/delivery`);
      if (typeof m.cpuPerDeliveryVsSingle === 'number') parts.push(`${fmt(m.cpuPerDeliveryVsSingle, 2)}× single CPU/delivery`);
      if (typeof m.p99MinusSingleMs === 'number') parts.push(`p99 ${m.p99MinusSingleMs >= 0 ? '+' : ''}${fmt(m.p99MinusSingleMs, 1)} ms vs single`);
      if (typeof m.readersPerNode === 'string') parts.push(`readers per node ${m.readersPerNode}`);
      if (typeof m.serverCoreMsPerChange === 'number' && typeof m.singleCoreMsPerChange === 'number') {
        const cpu = (key: string) => fmt(Number(m[key]), 1);
        parts.push(
          `server CPU per change ${fmt(m.serverCoreMsPerChange, 1)} ms against the single node's ${fmt(m.singleCoreMsPerChange, 1)} (nodes ${cpu('fanoutMsPerChange')}, nginx ${cpu('nginxMsPerChange')}, primary ${cpu('primaryMsPerChange')}, Redis ${cpu('redisMsPerChange')} ms; nginx ${fmt(Number(m.nginxCpuUsPerDelivery), 1)} µs per proxied frame)`,
        );
        if (typeof m.p99BeyondExtraCpuMs === 'number') parts.push(`p99 beyond that extra CPU ${m.p99BeyondExtraCpuMs >= 0 ? '+' : ''}${fmt(m.p99BeyondExtraCpuMs, 1)} ms`);
      }
      break;
    case 'herd':
      parts.push(`all caught up in ${ms(Number(m.convergedMs))} after ${m.downMs === undefined ? 'the loss' : `${ms(Number(m.downMs))} down`}`);
      if (typeof m.convergedAfterReadyMs === 'number') parts.push(`${ms(m.convergedAfterReadyMs)} after it answered (stop ${ms(Number(m.stopMs))}, start ${ms(Number(m.startMs))})`);
      if (typeof m.serverCpuMsPerRejoin === 'number')
        parts.push(`${fmt(m.serverCpuMsPerRejoin, 3)} ms server CPU/rejoin${typeof m.liveDeliveriesInHerd === 'number' ? ` (${m.liveDeliveriesInHerd} live deliveries meanwhile included)` : ''}`);
      if (typeof m.serverLoopBusyShare === 'number') parts.push(`event loop busy ${fmt(m.serverLoopBusyShare * 100, 0)}% meanwhile`);
      if (typeof m.writesRefused === 'number') parts.push(`writes: ${m.writesRefused} refused, ${m.writesDelayedOver1s} delayed > 1 s`);
      if (typeof m.listenOverflows === 'number') parts.push(`${m.listenOverflows} accept-queue overflows`);
      if (typeof m.readersPerNode === 'string') parts.push(`readers per node ${m.readersPerNode}`);
      if (typeof m.serverCpusBusyShare === 'number')
        parts.push(`CPU meanwhile: survivor ${ms(Number(m.serverCpuMs))}, nginx ${ms(Number(m.nginxCpuMs))}, primary ${ms(Number(m.primaryCpuMs))}, Redis ${ms(Number(m.redisCpuMs))} (${fmt(m.serverCpusBusyShare * 100, 0)}% of a core)`);
      break;
    case 'arrival':
      if (typeof m.pageP99Ms === 'number') parts.push(`page p99 ${ms(m.pageP99Ms)}, ${fmt(Number(m.pagesPerSecond), 0)} pages/s`);
      if (typeof m.subscribedP99Ms === 'number') parts.push(`subscribed p99 ${ms(m.subscribedP99Ms)}, ${m.subscribed}/${m.readers} subscribed`);
      if (typeof m.requestsPerSecond === 'number') parts.push(`${fmt(m.requestsPerSecond, 0)} req/s`);
      if (typeof m.shareOfStatic === 'number') parts.push(`${fmt(m.shareOfStatic * 100, 0)}% of static`);
      if (typeof m.serverCpuMsPerReader === 'number') parts.push(`${fmt(m.serverCpuMsPerReader, 2)} ms server CPU/reader`);
      break;
    case 'memory':
      parts.push(`RSS ${fmt(Number(m.rssPerReaderKB))} KB/reader, heap ${fmt(Number(m.heapPerReaderKB))} KB/reader`);
      if (typeof m.vsWsFloor === 'number') parts.push(`${fmt(m.vsWsFloor, 2)}× ws floor`);
      break;
    case 'capacity':
      parts.push(`RSS ${fmt(Number(m.rssPerReaderKB))} KB/reader, heap ${fmt(Number(m.heapPerReaderKB))} KB/reader`);
      break;
    case 'storm':
    case 'catchup':
      parts.push(`all converged in ${ms(Number(m.convergedMs))}`);
      if (typeof m.requests === 'number') parts.push(`${m.requests} requests to the primary`);
      if (typeof m.listenOverflows === 'number' && m.listenOverflows > 0) parts.push(`${m.listenOverflows} accept-queue overflows`);
      break;
    case 'page':
      parts.push(`${fmt(Number(m.requestsPerSecond), 0)} req/s, p99 ${ms(Number(m.p99Ms))}, ${fmt(Number(m.bytes) / 1024, 1)} KiB`);
      break;
    case 'writes':
      parts.push(`${fmt(Number(m.entriesPerSecond), 0)} entries/s`);
      break;
  }
  return parts.join('; ');
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Scenario | Variant | N | Result | Target |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const flags = [row.discarded ? '**discarded** (generator saturated)' : '', row.modeled ? '_modeled_' : ''].filter(Boolean).join(' ');
    const target = row.target ? `${row.target.met === null ? '–' : row.target.met ? 'met' : '**missed**'}: ${row.target.text}` : '';
    lines.push(`| ${row.scenario} | ${row.variant} ${flags} | ${row.readers ?? ''} | ${summaryOf(row).replaceAll('|', '/')} | ${target} |`);
  }
  return lines.join('\n');
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/**
 * Fan-out latency distribution as percentile curves (x: percentile on a "nines" scale, y: latency
 * on a log scale), one colour per reader count; ours solid, bare ws dashed, polling dotted.
 */
export function latencySvg(rows: readonly Row[], title: string): string {
  const series = rows.filter((row) => row.scenario === 'fanout' && !row.variant.includes('model check') && row.curve && row.curve.length > 0 && !row.error);
  const width = 960;
  const height = 520;
  const margin = { left: 70, right: 320, top: 40, bottom: 50 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  // x: -log10(1 - p/100), capped at 4 nines.
  const nines = (p: number) => Math.min(4, -Math.log10(Math.max(1e-4, 1 - p / 100)));
  const values = series.flatMap((row) => row.curve?.map(([, value]) => value) ?? []).filter((value) => value > 0);
  const low = Math.pow(10, Math.floor(Math.log10(Math.max(0.01, Math.min(...values, 1)))));
  const high = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, 10))));
  const x = (p: number) => margin.left + (nines(p) / 4) * plotW;
  const y = (value: number) => margin.top + plotH - ((Math.log10(Math.max(value, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * plotH;
  const readerCounts = [...new Set(series.map((row) => row.readers ?? 0))].sort((a, b) => a - b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let decade = low; decade <= high * 1.0001; decade *= 10) {
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(decade)}" y2="${y(decade)}" stroke="#ddd"/>`);
    out.push(`<text x="${margin.left - 6}" y="${y(decade) + 4}" text-anchor="end">${decade >= 1000 ? `${decade / 1000} s` : `${decade} ms`}</text>`);
  }
  for (const [p, label] of [[0, '0%'], [50, '50%'], [90, '90%'], [99, '99%'], [99.9, '99.9%'], [99.99, '99.99%']] as const) {
    out.push(`<line x1="${x(p)}" x2="${x(p)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${x(p)}" y="${margin.top + plotH + 18}" text-anchor="middle">${label}</text>`);
  }
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">percentile of (reader, entry) deliveries</text>`);
  series.forEach((row, index) => {
    const color = COLORS[readerCounts.indexOf(row.readers ?? 0) % COLORS.length] ?? '#000';
    const dash = row.variant.startsWith('liveline') ? '' : row.variant.startsWith('ws') ? '6 4' : '2 3';
    const points = (row.curve ?? []).map(([p, value]) => `${x(p).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''} points="${points}"/>`);
    const legendY = margin.top + 16 * index;
    out.push(`<line x1="${width - margin.right + 15}" x2="${width - margin.right + 45}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2" ${dash ? `stroke-dasharray="${dash}"` : ''}/>`);
    const label = `${row.variant}, N=${row.readers}${row.modeled ? ' (model)' : ''}${row.discarded ? ' (discarded)' : ''}`;
    out.push(`<text x="${width - margin.right + 50}" y="${legendY + 4}">${escapeXml(label)}</text>`);
  });
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push('</svg>');
  return out.join('\n');
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
