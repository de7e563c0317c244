import { afterEach, describe, expect, it } from 'vitest';
import { describeTime, fromEventInput, knownZone, nextFullHourInput, startsAtToSave, timeText, toEventInput, zoneLabel } from '../../client/newsroom/clock.js';
import { matchZones, timeZones } from '../../client/newsroom/zone-picker.js';

/**
 * The newsroom's one clock (client/newsroom/clock.ts, issue 14): labels, the browser-zone hint,
 * and the datetime-local conversions across daylight saving. The browser's zone is passed in, or
 * set through process.env.TZ, so these hold wherever the tests run. (Client code is tested from
 * here because the unit project collects server/**.)
 */
const LA = 'America/Los_Angeles';
const BERLIN = 'Europe/Berlin';
const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('zone labels', () => {
  it('are short: the generic abbreviation, else the British one, else the offset', () => {
    const winter = Date.parse('2026-01-15T12:00:00Z');
    const summer = Date.parse('2026-07-15T12:00:00Z');
    expect([zoneLabel(LA, winter), zoneLabel(LA, summer)]).toEqual(['PT', 'PT']);
    expect(zoneLabel('America/New_York', winter)).toBe('ET');
    expect([zoneLabel(BERLIN, winter), zoneLabel(BERLIN, summer)]).toEqual(['CET', 'CEST']);
    expect([zoneLabel('Europe/London', winter), zoneLabel('Europe/London', summer)]).toEqual(['GMT', 'BST']);
    expect(zoneLabel('UTC', winter)).toBe('UTC');
    expect(zoneLabel('Asia/Kolkata', winter)).toBe('GMT+5:30');
    expect(zoneLabel('Asia/Tokyo', winter)).toBe('GMT+9');
    expect(zoneLabel('Pacific/Chatham', winter)).toBe('GMT+13:45');
  });

  it('speaks the reader page’s language when it is not English', () => {
    const winter = Date.parse('2026-01-15T12:00:00Z');
    const summer = Date.parse('2026-07-15T12:00:00Z');
    expect([zoneLabel(BERLIN, winter, 'de'), zoneLabel(BERLIN, summer, 'de')]).toEqual(['MEZ', 'MESZ']);
    expect(zoneLabel(BERLIN, winter, 'fr')).toBe('UTC+1');
    expect(zoneLabel(LA, winter, 'en-GB')).toBe('PT');
    // Never a long name in any of the reader page's languages either.
    const long = ['de', 'fr', 'es', 'it', 'pt', 'nl', 'ja', 'ar'].flatMap((locale) =>
      Intl.supportedValuesOf('timeZone')
        .map((zone) => [locale, zone, zoneLabel(zone, winter, locale)])
        .filter(([, , label]) => label!.length > 12 || /\s/.test(label!)),
    );
    expect(long).toEqual([]);
  });

  it('never is a long name, for any zone the runtime knows', () => {
    const long = Intl.supportedValuesOf('timeZone')
      .map((zone) => [zone, zoneLabel(zone, Date.parse('2026-01-15T12:00:00Z')), zoneLabel(zone, Date.parse('2026-07-15T12:00:00Z'))])
      .filter(([, winter, summer]) => ![winter, summer].every((label) => /^([A-Z]{1,5}|GMT[+-]\d{1,2}(:\d\d)?)$/.test(label!)));
    expect(long).toEqual([]);
  });
});

describe('times as the newsroom shows them', () => {
  // Saturday 14 March 2026, 23:35 in Los Angeles (already PDT) is Sunday 07:35 in Berlin (still CET).
  const lateSaturday = '2026-03-15T06:35:07.000Z';
  const sameEvening = Date.parse('2026-03-15T05:00:00Z');

  it('are in the event zone, labelled, with the browser zone as a hint that names another day', () => {
    expect(describeTime(lateSaturday, LA, { now: sameEvening, localZone: BERLIN })).toMatchObject({ text: '23:35 PT', hint: 'Sun 15 Mar, 07:35 your time' });
    expect(describeTime(lateSaturday, LA, { now: sameEvening, localZone: BERLIN, seconds: true }).text).toBe('23:35:07 PT');
    expect(timeText(lateSaturday, LA, { now: sameEvening, localZone: 'Pacific/Honolulu' })).toBe('23:35 PT (20:35 your time)');
    expect(timeText(lateSaturday, LA, { now: sameEvening, localZone: 'America/New_York' })).toBe('23:35 PT (Sun 15 Mar, 02:35 your time)');
    const { title } = describeTime(lateSaturday, LA, { now: sameEvening, localZone: BERLIN });
    expect(title).toMatch(/^Saturday,? 14 March 2026\D+23:35:07 PT \(event time, America\/Los_Angeles\)/);
    expect(title).toMatch(/Sunday,? 15 March 2026\D+07:35:07 CET \(your time, Europe\/Berlin\)$/);
  });

  it('have no hint when the browser clock reads the same, even from another zone', () => {
    expect(describeTime(lateSaturday, LA, { now: sameEvening, localZone: LA }).hint).toBeUndefined();
    expect(describeTime(lateSaturday, BERLIN, { now: sameEvening, localZone: 'Europe/Paris' }).hint).toBeUndefined();
    expect(describeTime(lateSaturday, BERLIN, { now: sameEvening, localZone: 'Europe/Paris' }).text).toBe('07:35 CET');
  });

  it('gain the date when not on the event’s today, and the year when not this year', () => {
    const nextMorning = Date.parse('2026-03-15T16:00:00Z'); // 09:00 Sunday in Los Angeles
    expect(describeTime(lateSaturday, LA, { now: nextMorning, localZone: LA }).text).toBe('Sat 14 Mar, 23:35 PT');
    expect(describeTime(lateSaturday, LA, { now: Date.parse('2027-01-02T12:00:00Z'), localZone: LA }).text).toBe('Sat 14 Mar 2026, 23:35 PT');
    // The event's today, not the browser's: it is already Sunday in Berlin.
    expect(describeTime(lateSaturday, LA, { now: sameEvening, localZone: BERLIN }).text).toBe('23:35 PT');
  });

  it('follow the browser zone the runtime reports when none is given', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(describeTime(lateSaturday, LA, { now: sameEvening }).hint).toBe('Sun 15 Mar, 15:35 your time');
  });
});

describe('datetime-local fields in the event zone', () => {
  it('show an instant as the event zone’s wall time, to the minute or the second', () => {
    expect(toEventInput('2026-03-15T06:35:07.000Z', LA, 'seconds')).toBe('2026-03-14T23:35:07');
    expect(toEventInput('2026-03-15T06:35:07.000Z', LA, 'minutes')).toBe('2026-03-14T23:35');
    expect(toEventInput('2026-03-15T06:35:07.000Z', BERLIN, 'seconds')).toBe('2026-03-15T07:35:07');
    expect(toEventInput('2026-03-15T06:35:07.000Z', 'Asia/Kolkata', 'minutes')).toBe('2026-03-15T12:05');
    expect(toEventInput('2026-03-15T06:35:07.000Z', 'UTC', 'minutes')).toBe('2026-03-15T06:35');
  });

  it('read a wall time typed in the event zone, whatever the browser’s zone', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'Pacific/Auckland', 'America/Los_Angeles']) {
      process.env.TZ = tz;
      expect(fromEventInput('2026-03-14T23:35:07', LA)).toBe('2026-03-15T06:35:07.000Z');
      expect(fromEventInput('2026-03-14T23:35', LA)).toBe('2026-03-15T06:35:00.000Z');
      expect(fromEventInput('2026-03-15T07:35', BERLIN)).toBe('2026-03-15T06:35:00.000Z');
      expect(fromEventInput('2026-03-15T12:05', 'Asia/Kolkata')).toBe('2026-03-15T06:35:00.000Z');
    }
  });

  it('round-trip every quarter hour (and odd seconds) through the DST weeks of several zones', () => {
    const zones = [LA, BERLIN, 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
    const weeks = ['2026-03-05T00:00:00Z', '2026-03-26T00:00:00Z', '2026-10-01T00:00:00Z', '2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z', '2026-04-02T00:00:00Z'];
    const wrong: string[] = [];
    for (const zone of zones) {
      for (const week of weeks) {
        for (let ms = Date.parse(week); ms < Date.parse(week) + 7 * 86_400_000; ms += 15 * 60_000 + 7_000) {
          const iso = new Date(ms).toISOString();
          const typed = toEventInput(iso, zone, 'seconds');
          const back = fromEventInput(typed, zone)!;
          // The one allowed difference: a wall time that happens twice reads as the earlier instant.
          if (back !== iso && !(Date.parse(back) < ms && toEventInput(back, zone, 'seconds') === typed)) wrong.push(`${zone} ${iso} → ${typed} → ${back}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('take the earlier instant for a wall time that happens twice (clocks go back)', () => {
    // Los Angeles, 1 November 2026: 01:00–02:00 PDT, then 01:00–02:00 PST again.
    expect(fromEventInput('2026-11-01T01:30', LA)).toBe('2026-11-01T08:30:00.000Z');
    expect(toEventInput('2026-11-01T09:30:00.000Z', LA, 'minutes')).toBe('2026-11-01T01:30');
    expect(describeTime('2026-11-01T08:30:00.000Z', LA, { localZone: LA, now: Date.parse('2026-11-01T12:00:00Z') }).text).toBe('01:30 PT');
    // Berlin, 25 October 2026: 02:00–03:00 CEST, then CET.
    expect(fromEventInput('2026-10-25T02:30', BERLIN)).toBe('2026-10-25T00:30:00.000Z');
  });

  it('move a wall time that does not exist (clocks go forward) on by the gap', () => {
    // Los Angeles, 8 March 2026: 02:00 PST becomes 03:00 PDT; 02:30 is read as 03:30 PDT.
    expect(fromEventInput('2026-03-08T02:30', LA)).toBe('2026-03-08T10:30:00.000Z');
    expect(toEventInput('2026-03-08T10:30:00.000Z', LA, 'minutes')).toBe('2026-03-08T03:30');
    expect(fromEventInput('2026-03-08T03:00', LA)).toBe('2026-03-08T10:00:00.000Z');
    expect(fromEventInput('2026-03-08T01:59:59', LA)).toBe('2026-03-08T09:59:59.000Z');
    // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(fromEventInput('2026-03-29T02:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z');
    // Lord Howe Island moves half an hour, 4 October 2026: 02:00 (+10:30) becomes 02:30 (+11).
    expect(fromEventInput('2026-10-04T02:15', 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00.000Z');
  });

  it('refuse what is not a time, and unknown zones', () => {
    for (const value of ['', 'soon', '2026-02-30T10:00', '2026-03-14T24:00', '2026-03-14T10:60', '2026-03-14 10:00:00Z', '14/03/2026 10:00']) {
      expect(fromEventInput(value, LA), value).toBeUndefined();
    }
    expect(fromEventInput('2026-03-14T10:00', 'Mars/Olympus')).toBeUndefined();
    expect(knownZone('Mars/Olympus')).toBeUndefined();
    expect(knownZone('')).toBeUndefined();
    expect(knownZone('america/los_angeles')).toBe(LA);
  });

  it('offer the next full hour in the event zone as a start', () => {
    expect(nextFullHourInput(LA, Date.parse('2026-03-15T06:35:07Z'))).toBe('2026-03-15T00:00');
    expect(nextFullHourInput(BERLIN, Date.parse('2026-03-15T06:35:07Z'))).toBe('2026-03-15T08:00');
  });
});

describe('"Starts at" with its zone field', () => {
  const saved = '2026-03-14T17:00:30.000Z'; // set to the second through the API
  const loaded = { value: toEventInput(saved, LA, 'minutes'), loaded: toEventInput(saved, LA, 'minutes') };

  it('keeps the saved instant exactly while neither field changes', () => {
    expect(startsAtToSave(loaded, { value: LA, loaded: LA }, saved)).toBe(saved);
  });

  it('reads the typed wall time in the zone field’s zone; a changed zone keeps the wall time', () => {
    expect(startsAtToSave({ ...loaded, value: '2026-03-14T09:00' }, { value: LA, loaded: LA }, saved)).toBe('2026-03-14T16:00:00.000Z');
    // 10:00 typed as Los Angeles time, then the zone corrected to Berlin: 10:00 in Berlin.
    expect(startsAtToSave(loaded, { value: BERLIN, loaded: LA }, saved)).toBe('2026-03-14T09:00:00.000Z');
  });

  it('clears, or refuses an unknown zone', () => {
    expect(startsAtToSave({ ...loaded, value: '' }, { value: LA, loaded: LA }, saved)).toBeNull();
    expect(startsAtToSave(loaded, { value: 'Mars/Olympus', loaded: LA }, saved)).toBeUndefined();
  });
});

describe('the searchable zone list', () => {
  it('finds a zone by any part of its name, in any case, with spaces for underscores and slashes', () => {
    expect(matchZones('berl')).toEqual(['Europe/Berlin']);
    expect(matchZones('los ang')).toEqual([LA]);
    expect(matchZones('ANGELES')).toEqual([LA]);
    expect(matchZones('new york')).toEqual(['America/New_York']);
    expect(matchZones('america new_y')).toEqual(['America/New_York']);
    expect(matchZones('mars')).toEqual([]);
  });

  it('puts names with a word starting with the query first', () => {
    expect(matchZones('lon')).toEqual(['Arctic/Longyearbyen', 'Europe/London', 'America/Blanc-Sablon', 'America/Miquelon']);
  });

  it('lists every zone the runtime knows, UTC included, and nothing it does not', () => {
    expect(timeZones()).toContain('UTC');
    expect(timeZones().length).toBeGreaterThan(300);
    expect(timeZones().filter((zone) => knownZone(zone) === undefined)).toEqual([]);
  });
});
