import { parseArgs } from 'node:util';
import { z } from 'zod';

export const SCENARIOS = ['fanout', 'ws', 'poll', 'storm', 'page', 'writes', 'catchup', 'cluster', 'herd', 'arrival', 'memory', 'react', 'vote'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const count = z.number().int().nonnegative();
const positive = z.number().positive();

/** Every knob of the suite; flags win over BENCH_* environment variables, which win over defaults. */
export const benchConfigSchema = z.strictObject({
  quick: z.boolean(),
  only: z.array(z.enum(SCENARIOS)).min(1),
  /** Fan-out reader counts (the issue's 1,000 / 5,000 / 10,000 / 20,000). */
  readers: z.array(z.number().int().positive()).min(1),
  entries: count,
  entriesPerSecond: positive,
  generators: z.number().int().positive(),
  /** Source addresses per generator process (127.0.0.x). */
  addressesPerGenerator: z.number().int().positive(),
  serverCpus: z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a taskset CPU list such as 0 or 0,2-3'),
  generatorCpus: z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a taskset CPU list such as 1 or 1-3'),
  /** Extra attempts for a run whose generators saturated before it is reported as discarded. */
  retries: count,
  pollIntervalsMs: z.array(positive).min(1),
  pollRealReaders: count,
  stormReaders: count,
  stormSince: count,
  catchupReaders: count,
  catchupEntries: count,
  pageEntries: count,
  pageSeconds: count,
  pageConnections: z.number().int().positive(),
  writeEntries: count,
  writeConcurrency: z.number().int().positive(),
  /** Readers of the cluster scenario (the issue judges 5,000), split over two fan-out nodes by nginx. */
  clusterReaders: z.array(z.number().int().positive()).min(1),
  /** Readers connected when the server restarts / a fan-out node is killed (the issue: 10,000). */
  herdReaders: z.number().int().positive(),
  /** The author's pace while the herd rejoins. */
  herdEntriesPerSecond: positive,
  /** Which herds to run: the restart, the killed fan-out node, or both. */
  herdVariants: z.array(z.enum(['restart', 'kill', 'restart-calm', 'kill-calm', 'restart-max'])).min(1),
  /** Which reconnection policies each herd runs with (client/reconnect.ts, and socket.io-client's for comparison). */
  herdBackoffs: z.array(z.enum(['jitter', 'fixed'])).min(1),
  /** New readers of the arrival storm, and the seconds they arrive over (the issue: 10,000 in 10 s). */
  arrivalReaders: z.number().int().positive(),
  arrivalSeconds: positive,
  /** Reader counts of the memory scenario (RSS per reader against the bare ws floor). */
  memoryReaders: z.array(z.number().int().positive()).min(1),
  /** Issue 19: readers connected while 10% of them react every 5 s (reactions per second = participationReaders / 50). */
  participationReaders: z.number().int().positive(),
  /** Issue 19: readers voting in one poll within voteSeconds. */
  voters: z.number().int().positive(),
  voteSeconds: positive,
  /** How long to wait for the last deliveries after the last POST. */
  settleMs: count,
  outDir: z.string().min(1),
});
export type BenchConfig = z.infer<typeof benchConfigSchema>;

const FULL: Omit<BenchConfig, 'quick' | 'only' | 'outDir'> = {
  readers: [1000, 5000, 10000, 20000],
  entries: 50,
  entriesPerSecond: 5,
  generators: 4,
  addressesPerGenerator: 2,
  serverCpus: '0',
  generatorCpus: '1',
  retries: 1,
  pollIntervalsMs: [10_000, 3_000],
  pollRealReaders: 1000,
  stormReaders: 10_000,
  stormSince: 100,
  catchupReaders: 1000,
  catchupEntries: 100,
  pageEntries: 2000,
  pageSeconds: 10,
  pageConnections: 50,
  writeEntries: 3000,
  writeConcurrency: 8,
  clusterReaders: [1000, 5000],
  herdReaders: 10_000,
  herdEntriesPerSecond: 5,
  herdVariants: ['restart', 'kill', 'restart-calm', 'kill-calm', 'restart-max'],
  herdBackoffs: ['jitter', 'fixed'],
  arrivalReaders: 10_000,
  arrivalSeconds: 10,
  memoryReaders: [1000, 5000, 10_000],
  participationReaders: 10_000,
  voters: 10_000,
  voteSeconds: 10,
  settleMs: 30_000,
};

/** --quick: the same scenarios at small N, to check the suite end to end in a couple of minutes. */
const QUICK: Partial<typeof FULL> = {
  readers: [200, 1000],
  entries: 20,
  generators: 2,
  pollRealReaders: 200,
  stormReaders: 1000,
  catchupReaders: 200,
  catchupEntries: 100,
  pageSeconds: 3,
  writeEntries: 300,
  clusterReaders: [200],
  herdReaders: 200,
  arrivalReaders: 200,
  arrivalSeconds: 4,
  memoryReaders: [1000],
  participationReaders: 500,
  voters: 500,
  settleMs: 20_000,
};

const numbers = (value: string): number[] =>
  value.split(',').map((item) => {
    const parsed = Number(item.trim());
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`"${item}" is not a positive number`);
    return parsed;
  });

const OPTIONS = {
  quick: { type: 'boolean' },
  only: { type: 'string' },
  readers: { type: 'string' },
  entries: { type: 'string' },
  rate: { type: 'string' },
  generators: { type: 'string' },
  addresses: { type: 'string' },
  'server-cpus': { type: 'string' },
  'generator-cpus': { type: 'string' },
  retries: { type: 'string' },
  'poll-intervals': { type: 'string' },
  'poll-real-readers': { type: 'string' },
  'storm-readers': { type: 'string' },
  'catchup-readers': { type: 'string' },
  'catchup-entries': { type: 'string' },
  'page-entries': { type: 'string' },
  'page-seconds': { type: 'string' },
  'page-connections': { type: 'string' },
  'write-entries': { type: 'string' },
  'write-concurrency': { type: 'string' },
  'cluster-readers': { type: 'string' },
  'herd-readers': { type: 'string' },
  'herd-rate': { type: 'string' },
  'herd-variants': { type: 'string' },
  'herd-backoffs': { type: 'string' },
  'arrival-readers': { type: 'string' },
  'arrival-seconds': { type: 'string' },
  'memory-readers': { type: 'string' },
  'participation-readers': { type: 'string' },
  voters: { type: 'string' },
  'vote-seconds': { type: 'string' },
  'settle-ms': { type: 'string' },
  out: { type: 'string' },
} as const;

export const USAGE = `npm run bench [-- OPTIONS]
  --quick                  small N (200/1000 readers, 20 entries) to check the suite end to end
  --only=LIST              scenarios: ${SCENARIOS.join(',')} (default: all)
  --readers=LIST           fan-out reader counts (default 1000,5000,10000,20000)
  --entries=N --rate=R     entries per fan-out run and entries per second (default 50 at 5/s)
  --generators=N           generator processes (default 4); --addresses=N source IPs each (default 2)
  --server-cpus=L --generator-cpus=L   taskset CPU lists (default 0 and 1)
  --retries=N              re-runs of a run whose generators saturated (default 1)
  --poll-intervals=LIST    polling intervals in ms (default 10000,3000)
  --poll-real-readers=N    real pollers measured to check the model (default 1000)
  --storm-readers=N        join storm size (default 10000)
  --catchup-readers=N --catchup-entries=N  (default 1000 and 100)
  --page-entries=N --page-seconds=S --page-connections=C  (default 2000, 10, 50)
  --write-entries=N --write-concurrency=C  (default 3000, 8)
  --cluster-readers=LIST   cluster scenario reader counts (default 1000,5000; quick 200)
  --herd-readers=N --herd-rate=R   readers rejoining after a restart / a killed fan-out node, author pace (default 10000, 5/s)
  --herd-variants=LIST --herd-backoffs=LIST   restart,kill,restart-calm,kill-calm,restart-max (calm: author at 1 entry/s; max: the open-files maximum of readers; both full jitter only) and jitter,fixed (default: all)
  --arrival-readers=N --arrival-seconds=S   new readers loading the page then subscribing (default 10000 in 10 s)
  --memory-readers=LIST    reader counts of the memory scenario (default 1000,5000,10000; quick 1000)
  --participation-readers=N  readers of the react scenario, 10% reacting every 5 s (default 10000)
  --voters=N --vote-seconds=S  the vote scenario (default 10000 in 10 s)
  --settle-ms=MS           wait for late deliveries after the last POST (default 30000)
  --out=DIR                results folder (default bench/results)
Every option also reads BENCH_<NAME> from the environment (BENCH_READERS=1000,5000 ...).`;

export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchConfig {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  const get = (name: keyof typeof OPTIONS): string | undefined => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    const fromEnv = env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
  };
  const quick = values.quick === true || env.BENCH_QUICK === '1';
  const base = { ...FULL, ...(quick ? QUICK : {}) };
  const int = (name: keyof typeof OPTIONS, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name}: "${raw}" is not a whole number`);
    return parsed;
  };
  const onlyRaw = get('only');
  const only = onlyRaw === undefined ? [...SCENARIOS] : onlyRaw.split(',').map((item) => item.trim());
  for (const item of only) if (!(SCENARIOS as readonly string[]).includes(item)) throw new Error(`--only: unknown scenario "${item}"`);
  const intervalsRaw = get('poll-intervals');
  const list = (name: keyof typeof OPTIONS, fallback: number[]): number[] => {
    const raw = get(name);
    return raw === undefined ? fallback : numbers(raw).map(Math.round);
  };
  const parsed = benchConfigSchema.safeParse({
    quick,
    only,
    readers: list('readers', base.readers),
    entries: int('entries', base.entries),
    entriesPerSecond: Number(get('rate') ?? base.entriesPerSecond),
    generators: Math.max(1, int('generators', base.generators)),
    addressesPerGenerator: Math.max(1, int('addresses', base.addressesPerGenerator)),
    serverCpus: get('server-cpus') ?? base.serverCpus,
    generatorCpus: get('generator-cpus') ?? base.generatorCpus,
    retries: int('retries', base.retries),
    pollIntervalsMs: intervalsRaw === undefined ? base.pollIntervalsMs : numbers(intervalsRaw),
    pollRealReaders: int('poll-real-readers', base.pollRealReaders),
    stormReaders: int('storm-readers', base.stormReaders),
    stormSince: base.stormSince,
    catchupReaders: int('catchup-readers', base.catchupReaders),
    catchupEntries: int('catchup-entries', base.catchupEntries),
    pageEntries: int('page-entries', base.pageEntries),
    pageSeconds: int('page-seconds', base.pageSeconds),
    pageConnections: int('page-connections', base.pageConnections),
    writeEntries: int('write-entries', base.writeEntries),
    writeConcurrency: Math.max(1, int('write-concurrency', base.writeConcurrency)),
    clusterReaders: list('cluster-readers', base.clusterReaders),
    herdReaders: int('herd-readers', base.herdReaders),
    herdEntriesPerSecond: Number(get('herd-rate') ?? base.herdEntriesPerSecond),
    herdVariants: get('herd-variants')?.split(',').map((item) => item.trim()) ?? base.herdVariants,
    herdBackoffs: get('herd-backoffs')?.split(',').map((item) => item.trim()) ?? base.herdBackoffs,
    arrivalReaders: int('arrival-readers', base.arrivalReaders),
    arrivalSeconds: Number(get('arrival-seconds') ?? base.arrivalSeconds),
    memoryReaders: list('memory-readers', base.memoryReaders),
    participationReaders: Math.max(50, int('participation-readers', base.participationReaders)),
    voters: Math.max(1, int('voters', base.voters)),
    voteSeconds: Math.max(1, int('vote-seconds', base.voteSeconds)),
    settleMs: int('settle-ms', base.settleMs),
    outDir: get('out') ?? 'bench/results',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Number of CPUs in a taskset list such as "1", "0,2" or "2-3". */
export function cpuCount(list: string): number {
  return list.split(',').reduce((sum, part) => {
    const [from, to] = part.split('-').map(Number);
    return sum + (to === undefined ? 1 : (to ?? 0) - (from ?? 0) + 1);
  }, 0);
}
