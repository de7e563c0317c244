import { locale } from './i18n.js';
/**
 * Day separators in the reader's own time zone (issue 15): a post that runs past midnight, or one
 * read days later, is a list of bare times unless its days are marked. The server marks them in
 * the event's zone (server/render/days.ts) for readers without JavaScript; here they are drawn
 * again in the reader's zone whenever the stream changes, with the same markup and `data-day`.
 * Nothing is drawn while every entry shown is from today. Labels are in the page's language.
 */

/** en-CA writes YYYY-MM-DD: a day key that compares as text. In the browser's zone. */
const keyFormat = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
const labelFormat = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' });
const labelWithYear = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export function dayKey(date: Date): string {
  return keyFormat.format(date);
}

export function isToday(date: Date): boolean {
  return dayKey(date) === dayKey(new Date());
}

function label(date: Date): string {
  return (date.getFullYear() === new Date().getFullYear() ? labelFormat : labelWithYear).format(date);
}

export class DaySeparators {
  private today = dayKey(new Date());

  constructor(private readonly list: HTMLElement) {
    // Midnight passes while the page is open: yesterday's entries now need their day.
    window.setInterval(() => {
      if (dayKey(new Date()) !== this.today) this.refresh();
    }, 60_000);
  }

  /** Redraws every separator for the entries as they are shown now (either order). */
  refresh(): void {
    this.today = dayKey(new Date());
    this.list.querySelectorAll(':scope > .day-separator').forEach((separator) => separator.remove());
    const articles = [...this.list.querySelectorAll<HTMLElement>(':scope > article[data-entry-id]')];
    const days = articles.map((article) => new Date(article.dataset.createdAt ?? ''));
    const keys = days.map((date) => (Number.isNaN(date.getTime()) ? '' : dayKey(date)));
    if (keys.every((key) => key === this.today)) return;
    articles.forEach((article, index) => {
      const key = keys[index]!;
      if (!key || (index > 0 && keys[index - 1] === key)) return;
      const separator = document.createElement('h2');
      separator.className = 'day-separator';
      separator.dataset.day = key;
      separator.textContent = label(days[index]!);
      article.before(separator);
    });
  }
}
