import { errors } from '../domain/errors.js';
import type { InsightsReport } from '../render/insights.js';
import type { InsightsStore } from '../store/insights.js';
import type { Stores } from './context.js';
import type { PollService } from './polls.js';

/**
 * Insights for editors (issue 19): how a post was read and how readers took part, from counts
 * only. Readers over time are sampled every SAMPLE_MS from presence (the count every page already
 * shows); no tracking script, no analytics cookie, nothing about any one reader.
 */

export const SAMPLE_MS = 5000;
/** Entries are counted per this many minutes. */
export const ENTRY_BUCKET_MINUTES = 10;
/** A chart of readers over time is drawn from at most this many points (the highest of each stretch). */
const MAX_POINTS = 240;

export class InsightsService {
  constructor(
    private readonly stores: Stores,
    private readonly store: InsightsStore,
    private readonly polls: PollService,
  ) {}

  /** Records one sample of every post someone reads. */
  sample(readers: ReadonlyMap<number, number>, at = new Date()): void {
    if (readers.size) this.store.record(at.toISOString(), readers);
  }

  report(slug: string): InsightsReport {
    // Signed-in only (routes/insights): a draft post's figures too.
    const post = this.stores.posts.bySlugIncludingDrafts(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    const samples = this.store.samples(post.id);
    const peak = samples.reduce<{ readers: number; at: string } | null>((best, sample) => (!best || sample.readers > best.readers ? { readers: sample.readers, at: sample.at } : best), null);
    const times = this.store.entryTimes(post.id);
    const reactions = this.store.reactions(post.id).map(({ body, ...rest }) => ({ ...rest, excerpt: plain(body) }));
    return {
      post,
      readers: downsample(samples, MAX_POINTS),
      peak,
      entriesPer10Minutes: buckets(times, ENTRY_BUCKET_MINUTES),
      entries: times.length,
      reactions,
      reactionsTotal: reactions.reduce((sum, entry) => sum + entry.total, 0),
      polls: this.polls.ofPost(post.id),
      questions: this.store.questions(post.id),
    };
  }
}

/** The highest count of each stretch, so a peak is never averaged away. */
function downsample(samples: { at: string; readers: number }[], max: number): { at: string; readers: number }[] {
  if (samples.length <= max) return samples;
  const size = Math.ceil(samples.length / max);
  const points: { at: string; readers: number }[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const stretch = samples.slice(i, i + size);
    points.push(stretch.reduce((best, sample) => (sample.readers > best.readers ? sample : best)));
  }
  return points;
}

/** Entries per bucket, from the first entry's bucket to the last one's, empty buckets included. */
function buckets(times: string[], minutes: number): { from: string; entries: number }[] {
  if (times.length === 0) return [];
  const size = minutes * 60_000;
  const start = Math.floor(Date.parse(times[0]!) / size) * size;
  const end = Math.floor(Date.parse(times[times.length - 1]!) / size) * size;
  const count = Math.min(1000, (end - start) / size + 1);
  const result = Array.from({ length: count }, (_, i) => ({ from: new Date(start + i * size).toISOString(), entries: 0 }));
  for (const time of times) {
    const index = Math.floor((Date.parse(time) - start) / size);
    if (result[index]) result[index].entries++;
  }
  return result;
}

/** An entry's Markdown as a short line of text. */
function plain(markdown: string): string {
  const text = markdown.replace(/[`*_#>[\]()!~|-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 79).trimEnd()}…` : text;
}
