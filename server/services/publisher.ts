import type { Change } from '../../contract/index.js';

/** Where committed changes go. The realtime layer implements it; services call it after COMMIT. */
export interface Publisher {
  publish(postId: number, change: Change): void;
}

export const nullPublisher: Publisher = { publish: () => {} };
