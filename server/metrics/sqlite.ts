import type { Histogram } from 'prom-client';
import type { Db } from '../db/connection.js';

/**
 * Times every transaction run on `db`. Every write is one transaction (the one write path), so
 * wrapping `db.transaction` here measures all of them without touching each service.
 */
export function timeTransactions(db: Db, histogram: Histogram): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<Db['transaction']>[0]) => {
    const tx = transaction(fn);
    const timed = (...args: unknown[]) => {
      const end = histogram.startTimer();
      try {
        return tx(...args);
      } finally {
        end();
      }
    };
    return Object.assign(timed, { default: tx.default, deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive });
  }) as Db['transaction'];
}
