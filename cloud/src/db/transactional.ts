import type { Knex } from 'knex';
import type { JobQueue } from '../jobs/queue.js';

export interface Transactional<S> {
  transaction<T>(fn: (tx: S) => Promise<T>): Promise<T>;
  enqueue(name: string, payload: Record<string, unknown>): Promise<void>;
}

/**
 * What every store shares: one transaction at a time (a store made inside
 * one reuses it), and jobs enqueued on the same handle so they commit with
 * the data; workers are woken only once that commit has happened.
 */
export function transactional<S>(
  db: Knex,
  queue: JobQueue,
  within: { store: () => S; enqueued: { count: number } } | null,
  make: (trx: Knex, enqueued: { count: number }) => S,
): Transactional<S> {
  return {
    async transaction(fn) {
      if (within) return fn(within.store());
      const jobs = { count: 0 };
      const result = await db.transaction((trx) => fn(make(trx, jobs)));
      for (let i = 0; i < jobs.count; i += 1) queue.notify();
      return result;
    },
    async enqueue(name, payload) {
      await queue.enqueue(db, name, payload);
      if (within) within.enqueued.count += 1;
      else queue.notify();
    },
  };
}
