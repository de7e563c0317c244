import type { PluralForms } from './format.js';

/**
 * The reader-facing interface in English: the reference catalogue. Every other catalogue has
 * exactly these keys (TypeScript checks it, and server/render/i18n.test.ts checks it again with
 * each language's plural categories and placeholders).
 *
 * Keys that begin with `reader.` are also shipped to the browser (the reader page carries its
 * language's `reader.` messages in a JSON block for client/i18n.ts); the rest are used by the
 * server only. `{name}` is filled in; plural messages have one text per CLDR category of the
 * language (`one`/`other` here) and get `{count}`.
 */
export const en = {
  // --- shared by the server-rendered page and the reader script
  'reader.status.scheduled': 'Upcoming',
  'reader.status.live': 'Live',
  'reader.status.ended': 'Ended',
  'reader.keyMoment': 'Key moment',
  'reader.edited': 'edited',
  'reader.newestFirst': 'Newest first',
  'reader.oldestFirst': 'Oldest first',
  'reader.orderHint.newest': 'Showing newest entries first; click to switch',
  'reader.orderHint.oldest': 'Showing oldest entries first; click to switch',
  'reader.readers': { one: '{count} reading', other: '{count} reading' },
  'reader.newEntries': { one: '{count} new entry', other: '{count} new entries' },
  'reader.connection.connecting': 'Connecting…',
  'reader.connection.live': 'Live',
  'reader.connection.slower': 'Live (slower updates)',
  'reader.connection.reconnecting': 'Reconnecting…',
  'reader.connection.offline': 'Offline',
  'reader.connection.unavailable': 'Live updates unavailable: {reason}',
  'reader.justNow': 'just now',
  'reader.timeTitle': '{local} (your time) · {event} (event time, {zone})',
  'reader.earlierFailed': 'Could not load earlier entries — try again',

  // --- the post page and the embed (server only)
  'page.skipToContent': 'Skip to content',
  'page.pinnedLabel': 'Pinned entry',
  'page.pinned': 'Pinned',
  'page.whatWeKnow': 'What we know',
  'page.keyMoments': 'Key moments',
  'page.earlierLabel': 'Earlier entries',
  'page.loadEarlier': 'Load earlier entries',
  'page.zoneHint': "Times are shown in the event's time zone until the page can use yours",
  'page.eventZone': 'Event time zone: {zone}',
  'page.ended': 'This liveblog has ended.',
  'page.entriesLabel': 'Entries',
  'page.empty': 'No entries yet. New entries appear here as they are published.',
  'page.backToLatest': 'Back to the latest entries',
  'page.liveCoverage': 'Live coverage: {title}',
  'page.feedTitle': '{title} (Atom)',
  'page.siteFeedTitle': '{site}: all liveblogs',
  'page.footerLabel': 'Site links',
  'page.notFound': 'Not found',
  'page.notFoundText': 'There is no page here.',
  'page.seeAll': 'See all liveblogs',

  // --- the home page (in the site's default language)
  'home.title': 'Liveblogs',
  'home.description': 'Live coverage as it happens.',
  'home.liveNow': 'Live now',
  'home.upcoming': 'Upcoming',
  'home.ended': 'Ended',
  'home.empty': 'No liveblogs yet.',
  'home.starts': 'Starts {date}',
  'home.started': 'Started {date}',
  'home.lastUpdate': 'Last update {date}',
  'home.entries': { one: '{count} entry', other: '{count} entries' },
  'home.setup': 'New install: {link}, then start a liveblog in the newsroom.',
  'home.setupLink': 'create the first administrator account',
  'home.newsroom': '{link} (for the people who write here)',
  'home.newsroomLink': 'Newsroom',

  // --- feeds
  'feed.subtitle': 'Live coverage',
} satisfies Record<string, string | PluralForms>;

export type MessageKey = keyof typeof en;
/** A catalogue: every key of the English one, plain texts as texts and plural messages as plural forms. */
export type Catalogue = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms };
/** The keys the reader script may use (shipped to the browser with the page). */
export type ReaderKey = Extract<MessageKey, `reader.${string}`>;
export type ReaderMessages = Pick<Catalogue, ReaderKey>;
