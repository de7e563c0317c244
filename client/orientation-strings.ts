/**
 * The reader script's orientation strings (issue 15: summary, pinned entry, key moments, order and
 * filter, entry anatomy, share), in one place for the translation catalogues to take over. The
 * server-rendered page has the same in server/render/pages.ts (STRINGS).
 */
export const STRINGS = {
  keyMomentBadge: 'Key moment',
  allKeyMoments: (count: number) => `All ${count} key moments`,
  fewerKeyMoments: 'Show the latest 3',
  pinnedAbove: 'Pinned above.',
  readPinned: 'Read the pinned entry',
  updated: 'Updated',
  share: 'Share',
  shareLabel: (what: string) => `Share: ${what}`,
  shareVia: 'Share via…',
  copyLink: 'Copy link',
  copied: 'Link copied',
  copyFailed: 'Copy failed: select the address below',
  shareOn: {
    x: 'X',
    bluesky: 'Bluesky',
    facebook: 'Facebook',
    whatsapp: 'WhatsApp',
    email: 'Email',
  },
  entryAt: (time: string) => `the entry at ${time}`,
} as const;
