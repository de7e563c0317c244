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

  it('counts CPUs in taskset lists', () => {
    expect(cpuCount('1')).toBe(1);
    expect(cpuCount('0,2-3')).toBe(3);
  });
});
