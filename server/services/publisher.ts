import type { LoggedChange } from '../store/changes.js';

/**
 * Where committed changes go. The realtime node implements it; services call it after COMMIT
 * with what ChangeLog.append returned (the change and its JSON, serialized once).
 *
 * Publishing must never throw into the request that made the change: the change is durable, so
 * the author gets their 201 and readers catch up from the log. `afterCommit` is the one wrapper
 * that keeps that promise: it logs and counts a failure instead of throwing.
 */
export interface Publisher {
  publish(change: LoggedChange): void;
}

export const nullPublisher: Publisher = { publish: () => {} };

type FailureLog = { error(details: object, message: string): void };

export function afterCommit(publisher: Publisher, log: FailureLog, onFailure: (change: LoggedChange, error: unknown) => void = () => {}): Publisher {
  return {
    publish(change) {
      try {
        publisher.publish(change);
      } catch (error) {
        log.error({ err: error, postId: change.postId, seq: change.seq }, 'publishing a committed change failed; readers will catch up from the change log');
        onFailure(change, error);
      }
    },
  };
}
