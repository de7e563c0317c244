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
  'reader.updated': 'Updated',
  'reader.pinnedAbove': 'Pinned above.',
  'reader.readPinned': 'Read the pinned entry',
  'reader.allKeyMoments': { one: 'All {count} key moment', other: 'All {count} key moments' },
  'reader.fewerKeyMoments': 'Show the latest 3',
  'reader.showMore': 'Show more',
  'reader.share': 'Share',
  'reader.shareEntry': 'Share the entry at {time}',
  'reader.shareVia': 'Share via…',
  'reader.copyLink': 'Copy link',
  'reader.copied': 'Link copied',
  'reader.copyFailed': 'Copy failed: select and copy the address: {url}',
  'reader.shareByEmail': 'Email',
  'reader.startsAt': 'Starts {time} your time',
  'reader.startsAtDay': 'Starts {day} at {time} your time',
  'reader.startsOnDate': 'Starts on {date} at {time} your time',
  'reader.endedAt': 'Ended at {time} your time',
  'reader.endedAtDay': 'Ended {day} at {time} your time',
  'reader.endedOnDate': 'Ended on {date} at {time} your time',
  'reader.countdown.soon': 'starting soon',
  'reader.countdown.underAMinute': 'in less than a minute',
  'reader.countdown.minutes': { one: 'in {count} min', other: 'in {count} min' },
  'reader.countdown.hours': { one: 'in {count} h', other: 'in {count} h' },
  'reader.countdown.hoursMinutes': 'in {hours} h {minutes} min',
  'reader.countdown.days': { one: 'in {count} day', other: 'in {count} days' },
  'reader.eventTime': 'Event time: {time}',
  'reader.nowLive': 'The liveblog is live now.',
  'reader.nowEnded': 'This liveblog has ended.',
  'reader.nowUpcoming': 'The liveblog is upcoming again.',
  'reader.connection.back': 'Connected again: live updates are back.',
  'reader.connection.slowerExplained': 'Live updates are slower: the page checks for new entries every few seconds.',
  'reader.unseenTitle': '({count}) {title}',
  'reader.since.entriesAtLeast': { one: '{count}+ new entries', other: '{count}+ new entries' },
  'reader.since.keyMoments': { one: '{count} key moment', other: '{count} key moments' },
  'reader.since.keyMomentsAtLeast': { one: '{count}+ key moments', other: '{count}+ key moments' },
  'reader.since.summary': '{entries} since {since}.',
  'reader.since.summaryWithKeyMoments': '{entries} and {keyMoments} since {since}.',
  'reader.since.dayAt': '{day} at {time}',
  'reader.since.jump': 'Read from the first new one',
  'reader.since.dismiss': 'Dismiss',
  'reader.since.dismissLabel': 'Dismiss what is new since your last visit',
  'reader.reactions': 'Reactions',
  'reader.reaction.like': 'Like',
  'reader.reaction.love': 'Love',
  'reader.reaction.wow': 'Wow',
  'reader.reaction.laugh': 'Funny',
  'reader.reaction.clap': 'Applause',
  'reader.reactionCount': { one: '{name}: {count} reaction', other: '{name}: {count} reactions' },
  'reader.reactionFailed': 'Your reaction was not saved. Please try again.',

  // --- the post page and the embed (server only)
  'page.skipToContent': 'Skip to content',
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
  'page.showLess': 'Show less',
  'page.viewLabel': 'How entries are shown',
  'page.order': 'Order',
  'page.newest': 'Newest',
  'page.oldest': 'Oldest',
  'page.filter': 'Show',
  'page.allEntries': 'All entries',
  'page.keyMomentsOnly': 'Key moments only',
  'page.jumpToLatest': 'Jump to latest',
  'page.noKeyMoments': 'No key moments yet. They appear here as the editors mark them.',
  'page.olderKeyMoments': 'Older key moments are in the full stream.',
  'page.startsAt': 'Starts {date}',
  'page.endedAt': 'Ended at {time} on {day}',
  'page.archived': 'Archived {date}',

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
