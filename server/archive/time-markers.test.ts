import { describe, expect, it } from 'vitest';
import { assignTimes, formatMarker, splitMarker, withMarker } from './time-markers.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('time markers', () => {
  it.each([
    ['**Update 09:40:** The demo starts.', { hours: 9, minutes: 40, seconds: 0 }, 'The demo starts.'],
    ['**9:40am** Doors open.', { hours: 9, minutes: 40, seconds: 0 }, 'Doors open.'],
    ['**9:41 pm:** Late news.', { hours: 21, minutes: 41, seconds: 0 }, 'Late news.'],
    ['**12:05am** Midnight snack.', { hours: 0, minutes: 5, seconds: 0 }, 'Midnight snack.'],
    ['[09:45] Pricing.', { hours: 9, minutes: 45, seconds: 0 }, 'Pricing.'],
    ['[9:20 am] - Roadmap.', { hours: 9, minutes: 20, seconds: 0 }, 'Roadmap.'],
    ['**10:06:30**\n- one\n- two', { hours: 10, minutes: 6, seconds: 30 }, '- one\n- two'],
  ])('reads %j', (block, time, body) => {
    expect(splitMarker(block)).toEqual({ time, body });
  });

  it.each([
    'The keynote opens at 09:40 with a video.',
    '[09:40](https://example.com/agenda) is the agenda link.',
    '**Bold 25:00** is not a time.',
    '**13:05pm** is not a 12-hour time.',
  ])('leaves %j alone', (block) => {
    expect(splitMarker(block)).toEqual({ time: null, body: block });
  });

  it('writes markers an import reads back, on their own line before a list or quote', () => {
    expect(formatMarker({ hours: 9, minutes: 5, seconds: 0 })).toBe('**09:05**');
    expect(withMarker({ hours: 9, minutes: 5, seconds: 7 }, 'Text.')).toBe('**09:05:07** Text.');
    expect(withMarker({ hours: 9, minutes: 5, seconds: 0 }, '> quote')).toBe('**09:05**\n> quote');
    expect(splitMarker(withMarker({ hours: 23, minutes: 59, seconds: 59 }, '1. first'))).toEqual({
      time: { hours: 23, minutes: 59, seconds: 59 },
      body: '1. first',
    });
  });
});

describe('entry times', () => {
  const start = at('2011-03-14T09:02:44Z');

  it('spreads entries without markers a minute apart from the post date', () => {
    expect(assignTimes([null, null, null], start, 0).map(iso)).toEqual([
      '2011-03-14T09:02:44.000Z',
      '2011-03-14T09:03:44.000Z',
      '2011-03-14T09:04:44.000Z',
    ]);
  });

  it('uses markers on the post date and spreads unmarked entries evenly between them', () => {
    const times = assignTimes([null, { hours: 9, minutes: 40, seconds: 0 }, null, null, { hours: 10, minutes: 10, seconds: 0 }, null], start, 0);
    expect(times.map(iso)).toEqual([
      '2011-03-14T09:02:44.000Z',
      '2011-03-14T09:40:00.000Z',
      '2011-03-14T09:50:00.000Z',
      '2011-03-14T10:00:00.000Z',
      '2011-03-14T10:10:00.000Z',
      '2011-03-14T10:11:00.000Z',
    ]);
  });

  it('reads markers in the offset of the date and rolls past midnight', () => {
    // 23:30 in UTC+2 is 21:30Z; 00:15 the next local day is 22:15Z.
    const times = assignTimes([{ hours: 23, minutes: 40, seconds: 0 }, { hours: 0, minutes: 15, seconds: 0 }], at('2026-03-14T21:30:00Z'), 120);
    expect(times.map(iso)).toEqual(['2026-03-14T21:40:00.000Z', '2026-03-14T22:15:00.000Z']);
  });
});
