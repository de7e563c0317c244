import type { Entry } from '../contract/index.js';
import { KeyMoments } from './key-moments.js';
import { Pinned } from './pinned.js';
import type { Times } from './times.js';

/** What sits above the stream and follows its entries: the Key moments box and the pinned entry. */
export class Highlights {
  private readonly keyMoments: KeyMoments;
  private readonly pinned: Pinned;

  constructor(times: Times, permalinkBase = '') {
    this.keyMoments = new KeyMoments(times);
    this.pinned = new Pinned(times, permalinkBase);
  }

  update(entry: Entry): void {
    this.keyMoments.update(entry.id, entry.keyEvent ? entry : null);
    this.pinned.update(entry.id, entry.pinned ? entry : null);
  }

  removed(id: number): void {
    this.keyMoments.update(id, null);
    this.pinned.update(id, null);
  }
}
