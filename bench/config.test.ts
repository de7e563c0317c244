import { describe, expect, it } from 'vitest';
import { cpuCount, parseConfig } from './config.js';

describe('bench configuration', () => {
  it('defaults to the issue figures', () => {
    const cfg = parseConfig([]);
    expect(cfg.readers).toEqual([1000, 5000, 10000, 20000]);
    expect(cfg).toMatchObject({ entries: 50, entriesPerSecond: 5, stormReaders: 10_000, catchupReaders: 1000, catchupEntries: 100, pageEntries: 2000 });
    expect(cfg.pollIntervalsMs).toEqual([10_000, 3_000]);
  });

  it('--quick uses small N, and flags beat BENCH_* variables', () => {
    expect(parseConfig(['--quick']).readers).toEqual([200, 1000]);
    const cfg = parseConfig(['--readers=300,600', '--only=fanout,ws'], { BENCH_READERS: '5', BENCH_ENTRIES: '7' });
    expect(cfg.readers).toEqual([300, 600]);
    expect(cfg.entries).toBe(7);
    expect(cfg.only).toEqual(['fanout', 'ws']);
  });

  it('rejects unknown scenarios and bad numbers', () => {
    expect(() => parseConfig(['--only=nope'])).toThrow(/unknown scenario/);
    expect(() => parseConfig(['--readers=ten'])).toThrow(/not a positive number/);
    expect(() => parseConfig(['--entries=-1'])).toThrow(/whole number/);
  });

  it("the issue 20 scenarios: full-size defaults, small N under --quick, validated", () => {
    expect(parseConfig([])).toMatchObject({ clusterReaders: [1000, 5000], herdReaders: 10_000, herdEntriesPerSecond: 5, arrivalReaders: 10_000, arrivalSeconds: 10, memoryReaders: [1000, 5000, 10_000] });
    expect(parseConfig(['--quick'])).toMatchObject({ clusterReaders: [200], herdReaders: 200, arrivalReaders: 200, memoryReaders: [1000] });
    expect(parseConfig(['--only=cluster,herd,arrival,memory', '--herd-readers=300', '--cluster-readers=100,400']).clusterReaders).toEqual([100, 400]);
    expect(() => parseConfig(['--herd-rate=0'])).toThrow(/herdEntriesPerSecond/);
    expect(() => parseConfig(['--arrival-seconds=-2'])).toThrow(/arrivalSeconds/);
    expect(() => parseConfig(['--server-cpus=first'])).toThrow(/serverCpus: a taskset CPU list/);
    expect(() => parseConfig(['--herd-readers=0'])).toThrow(/herdReaders/);
  });

  it('counts CPUs in taskset lists', () => {
    expect(cpuCount('1')).toBe(1);
    expect(cpuCount('0,2-3')).toBe(3);
  });
});
