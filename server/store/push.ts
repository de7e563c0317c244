import type { Db } from '../db/connection.js';

/** SQL for Web Push (issue 19): the VAPID keys, readers' subscriptions per post, what was announced. */

export type StoredSubscription = { id: number; endpoint: string; p256dh: string; auth: string };

export class PushStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      keys: db.prepare<[], { public_key: string; private_key: string }>('SELECT public_key, private_key FROM push_keys WHERE id = 1'),
      saveKeys: db.prepare('INSERT OR IGNORE INTO push_keys (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?)'),
      subscribe: db.prepare(`INSERT INTO push_subscriptions (post_id, endpoint, p256dh, auth, created_at) VALUES (@postId, @endpoint, @p256dh, @auth, @now)
        ON CONFLICT (post_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`),
      unsubscribe: db.prepare('DELETE FROM push_subscriptions WHERE post_id = ? AND endpoint = ?'),
      remove: db.prepare('DELETE FROM push_subscriptions WHERE id = ?'),
      ofPost: db.prepare<[number], StoredSubscription>('SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE post_id = ? ORDER BY id'),
      count: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM push_subscriptions WHERE post_id = ?'),
      markSent: db.prepare('INSERT OR IGNORE INTO push_sent (post_id, what, sent_at) VALUES (?, ?, ?)'),
    };
  }

  /** The stored key pair, or the one `make` returns, stored (the first start makes it). */
  keys(make: () => { publicKey: string; privateKey: string }): { publicKey: string; privateKey: string } {
    let row = this.statements.keys.get();
    if (!row) {
      const made = make();
      this.statements.saveKeys.run(made.publicKey, made.privateKey, new Date().toISOString());
      row = this.statements.keys.get()!;
    }
    return { publicKey: row.public_key, privateKey: row.private_key };
  }

  subscribe(subscription: { postId: number; endpoint: string; p256dh: string; auth: string; now: string }): void {
    this.statements.subscribe.run(subscription);
  }

  unsubscribe(postId: number, endpoint: string): boolean {
    return this.statements.unsubscribe.run(postId, endpoint).changes === 1;
  }

  remove(id: number): void {
    this.statements.remove.run(id);
  }

  ofPost(postId: number): StoredSubscription[] {
    return this.statements.ofPost.all(postId);
  }

  count(postId: number): number {
    return this.statements.count.get(postId)!.n;
  }

  /** True the first time `what` is marked for the post (then it is announced), false after. */
  markSent(postId: number, what: string): boolean {
    return this.statements.markSent.run(postId, what, new Date().toISOString()).changes === 1;
  }
}
