/**
 * `npm run bench`: every scenario of issue 7 against the real built server, with its baselines,
 * in one run. Rows print as they finish; results go to bench/results/latest.{json,md,svg}.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseConfig, USAGE } from './config.js';
import { Generators } from './lib/generators.js';
import { latencySvg, markdownTable, summaryOf, type Row } from './lib/report.js';
import { ROOT } from './lib/server.js';
import type { Ctx } from './scenarios/context.js';
import { fanoutOurs, fanoutWs } from './scenarios/fanout.js';
import { pages } from './scenarios/page.js';
import { reactionsUnderFanout, votes } from './scenarios/participation.js';
import { polling } from './scenarios/polling.js';
import { catchUp, joinStorm } from './scenarios/storm.js';
import { clusterFanout } from './scenarios/cluster.js';
import { CALM_ENTRIES_PER_SECOND, herdFanoutKilled, herdRestart, openFilesMaximum } from './scenarios/herd.js';
import { arrivalStorm } from './scenarios/arrival.js';
import { memory } from './scenarios/memory.js';
import { writes } from './scenarios/writes.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const cfg = parseConfig(argv, process.env);
const outDir = resolve(ROOT, cfg.outDir);
const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
const openFiles = Number(execFileSync('bash', ['-c', 'ulimit -n']).toString().trim());
const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  openFilesLimit: openFiles,
  loadAverageAtStart: loadavg(),
  serverCpus: cfg.serverCpus,
  generatorCpus: cfg.generatorCpus,
  generators: cfg.generators,
};
const rows: Row[] = [];
let generators: Generators | undefined;
const startedAt = new Date();
const log = (line: string) => console.log(line);

async function save(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const finishedAt = new Date();
  const result = { command, startedAt, finishedAt, machine: { ...machine, loadAverageAtEnd: loadavg() }, config: cfg, rows };
  await writeFile(resolve(outDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const header = `Measured ${startedAt.toISOString()} with \`${command}\` on ${machine.nproc} × ${machine.cpu}, Node ${machine.node}; server on CPU ${cfg.serverCpus}, ${cfg.generators} generator processes on CPU ${cfg.generatorCpus}; load average at start ${machine.loadAverageAtStart.map((v) => v.toFixed(1)).join(' ')}.`;
  await writeFile(resolve(outDir, 'latest.md'), `${header}\n\n${markdownTable(rows)}\n`);
  await writeFile(resolve(outDir, 'latest.svg'), latencySvg(rows, `Fan-out latency: POST sent → change received (${cfg.entries} entries at ${cfg.entriesPerSecond}/s)`));
}

function print(row: Row): void {
  const flag = row.discarded ? ' [DISCARDED]' : row.modeled ? ' [model]' : '';
  const target = row.target ? ` — target ${row.target.met === null ? 'n/a' : row.target.met ? 'met' : 'MISSED'}: ${row.target.text}` : '';
  log(`${row.scenario.padEnd(8)} ${row.variant}${row.readers ? ` N=${row.readers}` : ''}${flag}: ${summaryOf(row)}${target}`);
  for (const note of row.notes) log(`         note: ${note}`);
}

async function add(produced: Row | Row[]): Promise<void> {
  generators?.revive(cfg.generatorCpus, log);
  for (const row of Array.isArray(produced) ? produced : [produced]) {
    rows.push(row);
    print(row);
  }
  await save();
}

async function main(): Promise<void> {
  log(`${command}: ${machine.nproc} CPUs, Node ${machine.node}, open files limit ${openFiles}, load ${machine.loadAverageAtStart.map((v) => v.toFixed(1)).join(' ')}`);
  const gens = await Generators.start(cfg.generators, cfg.addressesPerGenerator, cfg.generatorCpus);
  generators = gens;
  const ctx: Ctx = { cfg, gens, log };
  const want = (scenario: string) => (cfg.only as string[]).includes(scenario);
  try {
    for (const asked of want('fanout') || want('ws') ? cfg.readers : []) {
      // The server needs one descriptor per reader plus its database, listener and pipes: past the
      // open-files limit (20,000 here, hard), run the largest N that fits and say so.
      const readers = asked + 200 > openFiles ? Math.floor((openFiles - 500) / 500) * 500 : asked;
      if (readers !== asked) log(`fan-out: ${asked} readers need more than the open-files limit (${openFiles}) of one server process; running ${readers}`);
      if (readers <= 0) continue;
      let ours: Row | undefined;
      if (want('fanout')) {
        log(`fan-out: ${readers} Socket.IO readers…`);
        const produced = await fanoutOurs(ctx, readers);
        ours = produced[0];
        if (readers !== asked) for (const row of produced) row.notes.push(`asked for ${asked} readers; the open-files limit (${openFiles}, ulimit -Hn) allows ${readers} on one server process`);
        await add(produced);
      }
      if (want('ws')) {
        log(`fan-out floor: ${readers} bare ws readers…`);
        await add(await fanoutWs(ctx, readers, ours));
        if (ours) print(ours);
      }
    }
    if (want('poll')) {
      for (const interval of cfg.pollIntervalsMs) {
        log(`polling every ${interval} ms: ${cfg.pollRealReaders} real pollers, then the model…`);
        await add(await polling(ctx, interval));
      }
    }
    if (want('storm')) {
      log(`join storm: ${cfg.stormReaders} readers…`);
      await add(await joinStorm(ctx));
    }
    if (want('catchup')) {
      log(`catch-up: ${cfg.catchupReaders} readers…`);
      await add(await catchUp(ctx));
    }
    if (want('page')) {
      log(`page: ${cfg.pageEntries} entries, ${cfg.pageSeconds} s per load…`);
      await add(await pages(ctx));
    }
    if (want('cluster')) {
      for (const readers of cfg.clusterReaders) await add(await clusterFanout(ctx, readers));
    }
    if (want('herd')) {
      const backoffs = cfg.herdBackoffs.map((backoff) => backoff === 'jitter');
      for (const jitter of cfg.herdVariants.includes('restart') ? backoffs : []) {
        log(`reconnect herd: restart with ${cfg.herdReaders} readers, ${jitter ? 'full jitter' : 'fixed backoff'}…`);
        await add(await herdRestart(ctx, jitter));
      }
      for (const jitter of cfg.herdVariants.includes('kill') ? backoffs : []) {
        log(`reconnect herd: kill a fan-out node with ${cfg.herdReaders} readers, ${jitter ? 'full jitter' : 'fixed backoff'}…`);
        await add(await herdFanoutKilled(ctx, jitter));
      }
      // The same herds with the author at 1 entry/s: what the rejoins themselves cost (herd.ts).
      const calm = cfg.herdEntriesPerSecond > CALM_ENTRIES_PER_SECOND;
      if (calm && cfg.herdVariants.includes('restart-calm')) {
        log(`reconnect herd: restart with ${cfg.herdReaders} readers, author at ${CALM_ENTRIES_PER_SECOND}/s…`);
        await add(await herdRestart(ctx, true, CALM_ENTRIES_PER_SECOND));
      }
      // The issue's restart "with 10,000 (and the open-files maximum) readers connected".
      // --quick checks the row end to end at twice its herd, not at the machine's maximum.
      const most = cfg.quick ? Math.min(openFilesMaximum(), 2 * cfg.herdReaders) : openFilesMaximum();
      if (cfg.herdVariants.includes('restart-max') && most > cfg.herdReaders) {
        log(`reconnect herd: restart with ${most} readers${cfg.quick ? '' : ' (the open-files maximum)'}…`);
        await add(await herdRestart(ctx, true, cfg.herdEntriesPerSecond, most));
      }
      if (calm && cfg.herdVariants.includes('kill-calm')) {
        log(`reconnect herd: kill a fan-out node with ${cfg.herdReaders} readers, author at ${CALM_ENTRIES_PER_SECOND}/s…`);
        await add(await herdFanoutKilled(ctx, true, CALM_ENTRIES_PER_SECOND));
      }
    }
    if (want('arrival')) {
      log(`arrival storm: ${cfg.arrivalReaders} new readers in ${cfg.arrivalSeconds} s…`);
      await add(await arrivalStorm(ctx));
    }
    if (want('memory')) {
      for (const readers of cfg.memoryReaders) {
        log(`memory: ${readers} readers, against the bare ws floor…`);
        await add(await memory(ctx, readers));
      }
    }
    if (want('writes')) {
      log(`writes: ${cfg.writeEntries} entries…`);
      await add(await writes(ctx));
    }
    if (want('react')) {
      log(`reactions: ${cfg.participationReaders} readers, ${cfg.participationReaders / 50} reactions/s, with and without…`);
      await add(await reactionsUnderFanout(ctx));
    }
    if (want('vote')) {
      log(`votes: ${cfg.voters} in ${cfg.voteSeconds} s…`);
      await add(await votes(ctx));
    }
  } finally {
    await gens.stop();
    await save();
  }
  log(`\n${markdownTable(rows)}\n\nResults: ${outDir}/latest.{json,md,svg} (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
