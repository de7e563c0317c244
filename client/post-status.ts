import type { Post } from '../contract/index.js';
import { browserZone, zoneLabel } from './newsroom/clock.js';
import { locale, ui } from './i18n.js';
import { announceStatus } from './status-announcer.js';

/**
 * The post's status in the header, said honestly and in the reader's clock: a live dot only on a
 * live post, "Starts 19:00 your time" with a countdown on a scheduled one, "Ended at 17:45 your
 * time" on an ended one, and the start time in the reader's zone, labelled, with the event's time
 * as a hint when it reads differently. The server renders all of it in the event's zone (readable
 * without JavaScript); this module switches it to the reader's zone and keeps it current from
 * `post.updated` changes. The connection is not the post's status: connection-pill.ts.
 *
 * Zone labels ("CET", "PT", "GMT+5:30") come from the newsroom's clock (one implementation). The
 * words are the page's language (contract/i18n, `reader.…`), dates and times its locale.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type StatusState = Pick<Post, 'status' | 'startsAt' | 'endedAt' | 'createdAt'>;

/** "in 2 h 5 min": minutes rounded up, so 16:55:30 before a 19:00 start reads like the wall clock. */
export function countdownText(ms: number): string {
  if (ms <= 0) return ui.t('reader.countdown.soon');
  if (ms < MINUTE) return ui.t('reader.countdown.underAMinute');
  const minutes = Math.ceil(ms / MINUTE);
  if (minutes < 60) return ui.plural('reader.countdown.minutes', minutes);
  if (ms < 2 * DAY) {
    const hours = Math.floor(minutes / 60);
    return minutes % 60 ? ui.t('reader.countdown.hoursMinutes', { hours, minutes: minutes % 60 }) : ui.plural('reader.countdown.hours', hours);
  }
  return ui.plural('reader.countdown.days', Math.floor(ms / DAY));
}

const local = {
  time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }),
  day: new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short' }),
  dayWithYear: new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }),
  full: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
  relativeDay: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
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

/** "Starts 19:00 your time", "Starts tomorrow at 19:00 your time", "Starts on Sat 14 Mar at 19:00 your time" (and "Ended …"). */
function whenText(which: 'starts' | 'ended', { time, day, dated }: { time: string; day: string; dated: boolean }): string {
  if (dated) return ui.t(which === 'starts' ? 'reader.startsOnDate' : 'reader.endedOnDate', { date: day, time });
  if (day) return ui.t(which === 'starts' ? 'reader.startsAtDay' : 'reader.endedAtDay', { day, time });
  return ui.t(which === 'starts' ? 'reader.startsAt' : 'reader.endedAt', { time });
}

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
    announceStatus(ui.t(post.status === 'live' ? 'reader.nowLive' : post.status === 'ended' ? 'reader.nowEnded' : 'reader.nowUpcoming'));
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
    let text = ui.t('reader.status.ended');
    let countdown = '';
    if (status === 'live') text = ui.t('reader.status.live');
    else if (status === 'scheduled' && startsAt) {
      const when = localWhen(new Date(startsAt));
      text = whenText('starts', when);
      countdown = countdownText(Date.parse(startsAt) - Date.now());
    } else if (status === 'scheduled') text = ui.t('reader.status.scheduled');
    else if (endedAt) {
      const when = localWhen(new Date(endedAt));
      text = whenText('ended', when);
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
    const yours = `${local.full.format(date)} ${zoneLabel(this.readerZone, date, locale)}`;
    start.textContent = yours;
    const event = eventClock(date, this.eventZone, this.readerZone);
    start.title = ui.t('reader.timeTitle', { local: yours, event: event.full, zone: this.eventZone });
    if (!hint) return;
    // The same wall clock as the event's: the label already says everything.
    hint.hidden = event.same;
    // "13:02 UTC", not "13:02 UTC (UTC)": the zone's name only when the label is not already it.
    const named = event.short.endsWith(` ${this.eventZone}`) ? event.short : `${event.short} (${this.eventZone})`;
    hint.textContent = event.same ? '' : ui.t('reader.eventTime', { time: named });
    hint.removeAttribute('title');
  }
}

/**
 * The event's clock at an instant, as a hint beside the reader's: "09:00 CET", with the weekday
 * when the event's calendar day is not the reader's ("Sat 09:00 CET"); `same` when both clocks read alike.
 */
function eventClock(date: Date, eventZone: string, readerZone: string): { short: string; full: string; same: boolean } {
  // Compared, never shown: one fixed locale, so the two clocks' texts compare alike.
  const wall = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(date);
  const day = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'short' }).format(date);
  const label = zoneLabel(eventZone, date, locale);
  const time = new Intl.DateTimeFormat(locale, { timeZone: eventZone, hour: '2-digit', minute: '2-digit' }).format(date);
  const weekday = day(eventZone) === day(readerZone) ? '' : `${new Intl.DateTimeFormat(locale, { timeZone: eventZone, weekday: 'short' }).format(date)} `;
  const full = new Intl.DateTimeFormat(locale, { timeZone: eventZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
  return { short: `${weekday}${time} ${label}`, full: `${full} ${label}`, same: wall(eventZone) === wall(readerZone) };
}

function setText(root: HTMLElement, selector: string, text: string): void {
  const element = root.querySelector(selector);
  if (element && element.textContent !== text) element.textContent = text;
}

/** The reader count the server sends (presence). */
export function showReaders(readers: number): void {
  const element = document.getElementById('readers');
  if (!element) return;
  element.textContent = ui.plural('reader.readers', readers);
  element.hidden = readers < 1;
}
