import { isToday } from './day-separators.js';
import { locale, ui } from './i18n.js';

/**
 * Times on the reader page: the server renders them in the event's time zone (readable without
 * JavaScript); here they switch to the reader's local time, gain a relative "3 min ago" that stays
 * fresh, and keep the event's time in the tooltip. All in the post's language (`<html lang>`),
 * through Intl: "vor 3 Minuten", "قبل ٣ دقائق", "3 分前".
 */
const REFRESH_MS = 30_000;

export class Times {
  private readonly local = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  /** Issue 15: a time not of today carries its date ("14 Mar, 09:40"). */
  private readonly localWithDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  private readonly localLong = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' });
  private readonly eventLong: Intl.DateTimeFormat;
  private readonly relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

  constructor(private readonly eventZone: string) {
    this.eventLong = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long', timeZone: eventZone });
    window.setInterval(() => this.refreshRelative(document), REFRESH_MS);
  }

  /** Local short time for an entry header, plus the tooltip naming both zones. */
  decorate(time: HTMLTimeElement, withAgo: boolean): void {
    const date = new Date(time.dateTime);
    if (Number.isNaN(date.getTime())) return;
    time.textContent = (isToday(date) ? this.local : this.localWithDate).format(date);
    time.title = ui.t('reader.timeTitle', { local: this.localLong.format(date), event: this.eventLong.format(date), zone: this.eventZone });
    if (!withAgo) return;
    let ago = time.parentElement?.parentElement?.querySelector<HTMLElement>('.ago');
    if (!ago) {
      ago = document.createElement('span');
      ago.className = 'ago';
      ago.dataset.time = time.dateTime;
      time.closest('header')?.append(' ', ago);
    }
    ago.textContent = this.ago(date);
  }

  decorateAll(root: ParentNode): void {
    root.querySelectorAll<HTMLTimeElement>('article[data-entry-id] header .permalink time[datetime]').forEach((time) => this.decorate(time, true));
    root
      .querySelectorAll<HTMLTimeElement>('article[data-entry-id] header .edited time[datetime], #key-moments time[datetime], #pinned time[datetime]')
      .forEach((time) => this.decorate(time, false));
  }

  private refreshRelative(root: ParentNode): void {
    root.querySelectorAll<HTMLElement>('.ago[data-time]').forEach((ago) => {
      ago.textContent = this.ago(new Date(ago.dataset.time!));
    });
  }

  private ago(date: Date): string {
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    const abs = Math.abs(seconds);
    if (abs < 45) return ui.t('reader.justNow');
    if (abs < 3600) return this.relative.format(Math.round(seconds / 60), 'minute');
    if (abs < 86_400) return this.relative.format(Math.round(seconds / 3600), 'hour');
    return this.relative.format(Math.round(seconds / 86_400), 'day');
  }
}
