import type { LoggedChange } from '../store/changes.js';
import type { Publisher } from './publisher.js';

/**
 * Where a draft post's changes stop (issue 17, post-level draft). A draft post is private: its
 * entries are written, logged and numbered like any other (so that, once it is public, readers
 * get everything prepared, in order), but while it is a draft none of its changes may reach the
 * readers' sockets, SSE streams, fan-out nodes (through Redis), push alerts or the webhook
 * wake-up. Every publisher that services use is wrapped here, so no write path has to remember.
 *
 * The desks following a post over the newsroom socket (realtime/desk-follow.ts) get every change,
 * a draft post's and a public one's alike: the desk of a draft post stays live, and keeps working
 * once the post goes public.
 *
 * "Draft" is read from the database at publish time, right after COMMIT: the change that makes
 * the post public (a post.updated with status scheduled or live) is published to readers, those
 * before it were not. A deleted post is not a draft, so its tombstones still empty open pages.
 */

/** The newsroom's side: every committed change, for the desks that follow its post. */
export interface DeskChanges {
  change(change: LoggedChange): void;
}

type FailureLog = { error(details: object, message: string): void };

export class DraftPostGate {
  private desks: DeskChanges | undefined;

  constructor(
    private readonly isDraft: (postId: number) => boolean,
    private readonly log: FailureLog,
  ) {}

  /** The newsroom socket, once it exists (plugins/drafts.ts). */
  followWith(desks: DeskChanges): void {
    this.desks = desks;
  }

  /** `publisher` for public posts only; every change to the following desks. */
  wrap(publisher: Publisher): Publisher {
    return {
      publish: (change) => {
        try {
          this.desks?.change(change);
        } catch (error) {
          this.log.error({ err: error, postId: change.postId, seq: change.seq }, 'sending a change to the desks failed; they catch up from the change log');
        }
        if (!this.isDraft(change.postId)) publisher.publish(change);
      },
    };
  }
}
