import { io, type Socket } from 'socket.io-client';
import { postEntries, send } from '../lib/author.js';
import { LivelineServer } from '../lib/server.js';
import type { Row } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import { connectFailures, merge, runAgainst, waitDelivered, withRetries, type ConnectResult, type Ctx, type GenReport } from './context.js';
import { lastSeq } from './fanout.js';

/**
 * Issue 19's benchmarks: readers taking part.
 *
 * react: N readers connected, an author posting entries at the usual rate, and 10% of the readers
 * reacting once every 5 s (N / 50 reactions a second, each from a reader id of its own): entry
 * fan-out p99 against the same run without reactions (target ≤ 1.5×), every acknowledged
 * reaction counted exactly once in the final totals, and the server's CPU per reaction (the CPU
 * difference between the two runs, per reaction).
 *
 * vote: N readers vote in one poll within `voteSeconds`: every vote counted once, and the time
 * from the last vote's answer until sampled pages (Socket.IO readers in this process, up to 200)
 * all show the final total through the batched `polls` event (target ≤ 2 s).
 */

const KINDS = ['like', 'love', 'wow', 'laugh', 'clap'] as const;

type Run = { row: Row; cpuMs: number; reactions: number; acked: number; counted: number };

async function fanoutRun(ctx: Ctx, readers: number, reacting: boolean): Promise<Run> {
  let result: Run | undefined;
  const row = await withRetries(ctx, async () => {
    const { cfg, gens } = ctx;
    const server = await LivelineServer.start(cfg.serverCpus);
    const row: Row = { scenario: 'react', variant: reacting ? `liveline: fan-out with ${readers / 50} reactions/s` : 'liveline: fan-out without reactions', readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const post = await server.createPost(`Reactions ${readers}`);
      await gens.all('setup', { url: server.url, slug: post.slug });
      const shares = gens.share(readers);
      const connected = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
      const failure = connectFailures(connected);
      if (failure) row.notes.push(failure);
      // Entries to react to, posted first (not measured).
      const targets = await postEntries(server, post.slug, 3, { perSecond: cfg.entriesPerSecond, offset: 10_000 });
      if (targets.failures.length) throw new Error(`warm-up: ${targets.failures[0]}`);
      const entryIds = ((await (await fetch(`${server.url}/api/posts/${post.slug}`)).json()) as { entries: { id: number }[] }).entries.map((entry) => entry.id);
      await new Promise((done) => setTimeout(done, 1000));
      const baseSeq = await lastSeq(server.url, post.slug);
      await gens.all('measure-start', { entries: cfg.entries, baseSeq });
      const cpuBefore = await server.cpuMs();
      const perSecond = readers / 50;
      const seconds = cfg.entries / cfg.entriesPerSecond;
      const reactions = reacting ? Math.round(perSecond * seconds) : 0;
      const reacted = reacting
        ? send(reactions, { perSecond }, (index) => ({
            url: `${server.url}/api/entries/${entryIds[index % entryIds.length]}/reactions`,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ reader: `bench-reader-${String(index).padStart(10, '0')}`, reaction: KINDS[index % KINDS.length] }),
            expect: 200,
          }))
        : undefined;
      const posted = await postEntries(server, post.slug, cfg.entries, { perSecond: cfg.entriesPerSecond });
      const reactionRun = await reacted;
      if (posted.failures.length) row.notes.push(`${posted.failures.length} POSTs failed: ${posted.failures.slice(0, 2).join('; ')}`);
      await waitDelivered(ctx, readers * cfg.entries, Date.now() + cfg.settleMs);
      const reports = await gens.all<GenReport>('measure-report');
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      const merged = merge(ctx, reports, readers, cfg.entries);
      Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
      const acked = reacting ? reactions - reactionRun!.failures.length : 0;
      const counts = (await (await fetch(`${server.url}/api/posts/${post.slug}/reactions`)).json()) as { entries: { counts: Record<string, number> }[] };
      const counted = counts.entries.reduce((sum, entry) => sum + Object.values(entry.counts).reduce((a, b) => a + b, 0), 0);
      row.metrics = { serverCpuMs: cpuMs, postP99Ms: posted.histogram.getValueAtPercentile(99) / 1000, generatorCpuShare: merged.saturation.cpuShare };
      if (reacting) {
        Object.assign(row.metrics, { reactions, reactionsAcked: acked, reactionsCounted: counted, reactionP99Ms: reactionRun!.histogram.getValueAtPercentile(99) / 1000 });
        if (reactionRun!.failures.length) row.notes.push(`${reactionRun!.failures.length} reactions failed: ${reactionRun!.failures.slice(0, 2).join('; ')}`);
      }
      result = { row, cpuMs, reactions, acked, counted };
    });
  });
  return result ?? { row, cpuMs: 0, reactions: 0, acked: 0, counted: 0 };
}

export async function reactionsUnderFanout(ctx: Ctx): Promise<Row[]> {
  const readers = ctx.cfg.participationReaders;
  const without = await fanoutRun(ctx, readers, false);
  const withReactions = await fanoutRun(ctx, readers, true);
  const { row } = withReactions;
  const p99 = ratio(row.latency?.p99Ms ?? NaN, without.row.latency?.p99Ms ?? NaN);
  row.metrics.p99VsWithoutReactions = p99;
  row.metrics.serverCpuUsPerReaction = withReactions.reactions ? ((withReactions.cpuMs - without.cpuMs) * 1000) / withReactions.reactions : 0;
  const exact = withReactions.counted === withReactions.acked && withReactions.acked === withReactions.reactions;
  row.target = {
    text: `every reaction counted once (${withReactions.counted} of ${withReactions.reactions}); fan-out p99 ≤ 1.5× without reactions (${p99}×)`,
    met: row.discarded || without.row.discarded ? null : exact && (p99 ?? Infinity) <= 1.5 && (row.accounting?.complete ?? false),
  };
  row.notes.push('server CPU per reaction = (CPU with reactions − CPU without) ÷ reactions, same entries and readers');
  without.row.target = { text: '100% delivered', met: without.row.accounting?.complete ?? false };
  return [without.row, row];
}

export async function votes(ctx: Ctx): Promise<Row> {
  const { cfg } = ctx;
  const voters = cfg.voters;
  const server = await LivelineServer.start(cfg.serverCpus);
  const row: Row = { scenario: 'vote', variant: `liveline: ${voters} votes in ${cfg.voteSeconds} s`, readers: voters, metrics: {}, notes: [] };
  const pages: Socket[] = [];
  try {
    const post = await server.createPost(`Votes ${voters}`);
    const created = await fetch(`${server.url}/api/posts/${post.slug}/polls`, {
      method: 'POST',
      headers: { ...server.authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Which one?', options: ['A', 'B', 'C', 'D'] }),
    });
    if (created.status !== 201) throw new Error(`creating the poll: ${created.status} ${await created.text()}`);
    const { poll } = (await created.json()) as { poll: { id: number } };
    // Sampled pages: real Socket.IO readers of the post, each noting when it saw the final total.
    const sampled = Math.min(200, voters);
    const seenAt = new Array<number>(sampled).fill(0);
    for (let i = 0; i < sampled; i++) {
      const socket = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
      socket.on('polls', (event: { polls: { id: number; total: number }[] }) => {
        if (event.polls.some((p) => p.id === poll.id && p.total === voters) && !seenAt[i]) seenAt[i] = Date.now();
      });
      pages.push(socket);
      await socket.timeout(10_000).emitWithAck('subscribe', { slug: post.slug });
    }
    const cpuBefore = await server.cpuMs();
    const voted = await send(voters, { perSecond: voters / cfg.voteSeconds }, (index) => ({
      url: `${server.url}/api/polls/${poll.id}/votes`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reader: `bench-voter-${String(index).padStart(10, '0')}`, option: index % 4 }),
      expect: 200,
    }));
    const lastAnswer = Date.now();
    const deadline = lastAnswer + 10_000;
    while (seenAt.some((at) => at === 0) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    const cpuMs = (await server.cpuMs()) - cpuBefore;
    const results = (await (await fetch(`${server.url}/api/posts/${post.slug}/polls`)).json()) as { polls: { total: number; options: { votes: number }[] }[] };
    const counted = results.polls[0]!.total;
    const converged = seenAt.every((at) => at > 0);
    const convergeMs = converged ? Math.max(0, Math.max(...seenAt) - lastAnswer) : Infinity;
    row.metrics = {
      votes: voters,
      votesFailed: voted.failures.length,
      votesCounted: counted,
      voteP99Ms: voted.histogram.getValueAtPercentile(99) / 1000,
      sampledPages: sampled,
      convergeAfterLastVoteMs: converged ? convergeMs : -1,
      serverCpuUsPerVote: (cpuMs * 1000) / voters,
    };
    if (voted.failures.length) row.notes.push(`${voted.failures.length} votes failed: ${voted.failures.slice(0, 2).join('; ')}`);
    row.notes.push(`convergence measured on ${sampled} sampled pages (Socket.IO readers in the bench process), from the last vote's answer`);
    row.target = { text: `every vote counted once (${counted} of ${voters}); results on every sampled page within 2 s of the last vote`, met: counted === voters && voted.failures.length === 0 && converged && convergeMs <= 2000 };
  } finally {
    for (const socket of pages) socket.close();
    await server.stop();
  }
  return row;
}
