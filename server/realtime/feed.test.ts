import { describe, expect, it } from 'vitest';
import type { Change, Entry } from '../../contract/index.js';
import { PostFeed } from './feed.js';

const entry = (body: string, version: number): Entry => ({
  id: 7,
  postId: 1,
  body,
  html: `<p>${body}</p>`,
  author: null,
  createdAt: '2026-03-14T09:40:00.000Z',
  updatedAt: '2026-03-14T09:40:00.000Z',
  version,
  keyEvent: false,
  pinned: false,
  edited: version > 1,
});

describe('PostFeed (a fan-out node replaying recent changes)', () => {
  it('retracts as the primary does: held changes of an entry take its latest state (H4)', () => {
    const feed = new PostFeed('keynote', 0);
    feed.record({ seq: 1, type: 'entry.created', entry: entry('the price is $999', 1) });
    feed.record({ seq: 2, type: 'entry.updated', entry: entry('the price is announced at noon', 2) });
    expect(JSON.stringify(feed.after(0))).not.toContain('$999');
    expect(feed.after(0)!.map((change) => [change.seq, change.type])).toEqual([
      [1, 'entry.created'],
      [2, 'entry.updated'],
    ]);
    const deleted: Change = { seq: 3, type: 'entry.deleted', entry: { id: 7, postId: 1, version: 3, deletedAt: '2026-03-14T10:00:00.000Z' } };
    feed.record(deleted);
    expect(feed.after(0)!.map((change) => [change.seq, change.type])).toEqual([
      [1, 'entry.deleted'],
      [2, 'entry.deleted'],
      [3, 'entry.deleted'],
    ]);
    expect(JSON.stringify(feed.after(0))).not.toContain('noon');
    // Restored: the creation is entry.created again, carrying the entry as it is now.
    feed.record({ seq: 4, type: 'entry.updated', entry: entry('the price is announced at noon', 4) });
    expect(feed.after(0)!.map((change) => [change.seq, change.type])).toEqual([
      [1, 'entry.created'],
      [2, 'entry.updated'],
      [3, 'entry.updated'],
      [4, 'entry.updated'],
    ]);
  });
});
