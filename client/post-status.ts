import type { Post } from '../contract/index.js';
import { browserZone, zoneLabel } from './newsroom/clock.js';
import { announceStatus } from './status-announcer.js';

/**
 * The post's status in the header, said honestly and in the reader's clock: a live dot only on a
 * live post, "Starts 19:00 your time" with a countdown on a scheduled one, "Ended at 17:45 your
 * time" on an ended one, and the start time in the reader's zone, labelled, with the event's time
 * as a hint when it reads differently. The server renders all of it in the event's zone (readable
 * without JavaScript); this module switches it to the reader's zone and keeps it current from
 * `post.updated` changes. The connection is not the post's status: connection-pill.ts.
 *
 * Zone labels ("CET", "PT", "GMT+5:30") come from the newsroom's clock (one implementation).
 */

export const STRINGS = {
  live: 'Live',
  upcoming: 'Upcoming',
  startsAt: (time: string, day: string) => (day ? `Starts ${day} at ${time} your time` : `Starts ${time} your time`),
  endedAt: (time: string, day: string) => (day ? `Ended ${day} at ${time} your time` : `Ended at ${time} your time`),
  ended: 'Ended',
  /** A day that is neither today, tomorrow nor yesterday: "on Sat 14 Mar". */
  onDay: (date: string) => `on ${date}`,
  countdown: {
    soon: 'starting soon',
    underAMinute: 'in less than a minute',
    minutes: (m: number) => `in ${m} min`,
    hours: (h: number, m: number) => (m ? `in ${h} h ${m} min` : `in ${h} h`),
    days: (d: number) => (d === 1 ? 'in 1 day' : `in ${d} days`),
  },
  /** The hint after the start time when the event's clock reads differently. */
  eventTime: (text: string) => `Event time: ${text}`,
  startTitle: (yours: string, event: string, zone: string) => `${yours} (your time) · ${event} (event time, ${zone})`,
  /** Said once by the polite status region when the post changes state. */
  nowLive: 'The liveblog is live now.',
  nowEnded: 'This liveblog has ended.',
  nowUpcoming: 'The liveblog is upcoming again.',
  reading: (readers: string) => `${readers} reading`,
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type StatusState = Pick<Post, 'status' | 'startsAt' | 'endedAt' | 'createdAt'>;

/** "in 2 h 5 min": minutes rounded up, so 16:55:30 before a 19:00 start reads like the wall clock. */
export function countdownText(ms: number): string {
  const c = STRINGS.countdown;
  if (ms <= 0) return c.soon;
  if (ms < MINUTE) return c.underAMinute;
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes < 60) return c.minutes(minutes);
  if (ms < 2 * DAY) return c.hours(Math.floor(minutes / 60), minutes % 60);
  return c.days(Math.floor(ms / DAY));
}

const local = {
  time: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  day: new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' }),
  dayWithYear: new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }),
  full: new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
  relativeDay: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }),
};

const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/**
 * The reader's clock: `time` "19:00"; `day` "" today, "tomorrow" or "yesterday", else a date
 * ("Sat 14 Mar", with the year when not this year) and then `dated`.
 */
export function localWhen(date: Date, now = new Date()): { time: string; day: string; dated: boolean } {
  const time = local.time.format(date);
  const days = Math.round((midnight(date) - midnight(now)) / DAY);
  if (days === 0) return { time, day: '', dated: false };
  if (Math.abs(days) === 1) return { time, day: local.relativeDay.format(days, 'day'), dated: false };
  const format = date.getFullYear() === now.getFullYear() ? local.day : local.dayWithYear;
  return { time, day: format.format(date), dated: true };
}

/** "tomorrow at 19:00", "on Sat 14 Mar at 19:00", or "" for today (the caller says just the time). */
const dayPhrase = ({ day, dated }: { day: string; dated: boolean }) => (dated ? STRINGS.onDay(day) : day);

export class PostStatus {
  private state: StatusState;
  private timer: number | undefined;
  private readonly readerZone = browserZone();

  constructor(private eventZone: string) {
    const element = document.getElementById('post-status');
    const start = document.getElementById('post-start') as HTMLTimeElement | null;
    this.state = {
      status: (element?.dataset.status as Post['status'] | undefined) ?? 'live',
      startsAt: element?.dataset.startsAt || null,
      endedAt: element?.dataset.endedAt || null,
      createdAt: start?.dateTime ?? new Date().toISOString(),
    };
    this.render();
  }

  /** A `post.updated` change: everything the header shows of the post. */
  update(post: Post): void {
    const title = document.getElementById('post-title');
    const link = title?.querySelector('a');
    (link ?? title)?.replaceChildren(post.title);
    const description = document.getElementById('post-description');
    if (description) {
      description.textContent = post.description;
      description.hidden = post.description === '';
    }
    document.querySelector('article.post')?.setAttribute('data-status', post.status);
    const ended = document.getElementById('ended-banner');
    if (ended) ended.hidden = post.status !== 'ended';
    const before = this.state.status;
    this.state = { status: post.status, startsAt: post.startsAt, endedAt: post.endedAt, createdAt: post.createdAt };
    this.eventZone = post.timezone;
    this.render();
    if (post.status === before) return;
    announceStatus(post.status === 'live' ? STRINGS.nowLive : post.status === 'ended' ? STRINGS.nowEnded : STRINGS.nowUpcoming);
  }

  private render(): void {
    this.renderStatus();
    this.renderStart();
    // A countdown ticks every second (it writes only when its words change); the rest follows the day turning.
    window.clearInterval(this.timer);
    const counting = this.state.status === 'scheduled' && this.state.startsAt !== null;
    this.timer = window.setInterval(() => (counting ? this.renderStatus() : this.render()), counting ? 1000 : MINUTE);
  }

  private renderStatus(): void {
    const element = document.getElementById('post-status');
    if (!element) return;
    const { status, startsAt, endedAt } = this.state;
    element.className = `status status-${status}`;
    element.dataset.status = status;
    let text: string = STRINGS.ended;
    let countdown = '';
    if (status === 'live') text = STRINGS.live;
    else if (status === 'scheduled' && startsAt) {
      const when = localWhen(new Date(startsAt));
      text = STRINGS.startsAt(when.time, dayPhrase(when));
      countdown = countdownText(Date.parse(startsAt) - Date.now());
    } else if (status === 'scheduled') text = STRINGS.upcoming;
    else if (endedAt) {
      const when = localWhen(new Date(endedAt));
      text = STRINGS.endedAt(when.time, dayPhrase(when));
    }
    const dot = element.querySelector('.live-dot');
    if (status === 'live' && !dot) {
      const span = document.createElement('span');
      span.className = 'live-dot';
      span.setAttribute('aria-hidden', 'true');
      element.prepend(span);
    } else if (status !== 'live') dot?.remove();
    setText(element, '#post-status-text', text);
    const counter = element.querySelector<HTMLElement>('#post-countdown');
    if (counter) {
      if (counter.textContent !== countdown) counter.textContent = countdown;
      counter.hidden = countdown === '';
    }
  }

  /** The meta line: the start in the reader's zone, labelled, and the event's time as a hint. */
  private renderStart(): void {
    const start = document.getElementById('post-start') as HTMLTimeElement | null;
    const hint = document.getElementById('post-zone');
    if (!start) return;
    const { status, startsAt, createdAt } = this.state;
    const iso = startsAt ?? (status === 'scheduled' ? null : createdAt);
    start.closest<HTMLElement>('.meta')?.toggleAttribute('hidden', iso === null);
    if (iso === null) return;
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return;
    start.dateTime = iso;
    const yours = `${local.full.format(date)} ${zoneLabel(this.readerZone, date)}`;
    start.textContent = yours;
    const event = eventClock(date, this.eventZone, this.readerZone);
    start.title = STRINGS.startTitle(yours, event.full, this.eventZone);
    if (!hint) return;
    // The same wall clock as the event's: the label already says everything.
    hint.hidden = event.same;
    // "13:02 UTC", not "13:02 UTC (UTC)": the zone's name only when the label is not already it.
    const named = event.short.endsWith(` ${this.eventZone}`) ? event.short : `${event.short} (${this.eventZone})`;
    hint.textContent = event.same ? '' : STRINGS.eventTime(named);
    hint.removeAttribute('title');
  }
}

/**
 * The event's clock at an instant, as a hint beside the reader's: "09:00 CET", with the weekday
 * when the event's calendar day is not the reader's ("Sat 09:00 CET"); `same` when both clocks read alike.
 */
function eventClock(date: Date, eventZone: string, readerZone: string): { short: string; full: string; same: boolean } {
  const wall = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
  const day = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short' }).format(date);
  const label = zoneLabel(eventZone, date);
  const time = new Intl.DateTimeFormat(undefined, { timeZone: eventZone, hour: '2-digit', minute: '2-digit' }).format(date);
  const weekday = day(eventZone) === day(readerZone) ? '' : `${new Intl.DateTimeFormat(undefined, { timeZone: eventZone, weekday: 'short' }).format(date)} `;
  const full = new Intl.DateTimeFormat(undefined, { timeZone: eventZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
  return { short: `${weekday}${time} ${label}`, full: `${full} ${label}`, same: wall(eventZone) === wall(readerZone) };
}

function setText(root: HTMLElement, selector: string, text: string): void {
  const element = root.querySelector(selector);
  if (element && element.textContent !== text) element.textContent = text;
}

const readersFormat = new Intl.NumberFormat(undefined);
/** The reader count the server sends (presence). */
export function showReaders(readers: number): void {
  const element = document.getElementById('readers');
  if (!element) return;
  element.textContent = STRINGS.reading(readersFormat.format(readers));
  element.hidden = readers < 1;
}
