import type { Knex } from 'knex';

/** Every job the cloud runs. A name is also a pg-boss queue. */
export const JOB_NAMES = [
  'parse-inbound',
  'send-email',
  'service-mail',
  'process-upload',
  'dns-add-mx',
  'dns-remove-mx',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobContext {
  /** 1 for the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly isLastAttempt: boolean;
}

/** Throwing asks for a retry (with backoff) until the attempts run out. */
export type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** The first retry waits this long; each next one twice as long. */
  readonly retryDelaySeconds: number;
}

export type RetryPolicies = (name: string) => RetryPolicy;

export interface QueueCounts {
  readonly queued: number;
  readonly failed: number;
}

/**
 * The job queue port. `enqueue` takes the knex handle the data is written with — a transaction
 * when there is one — so a job commits (or rolls back) with the data it concerns.
 */
export interface JobQueue {
  readonly kind: 'embedded' | 'pg-boss';
  /** Prepares storage (pg-boss schema, queues); safe to run from several processes. */
  start(): Promise<void>;
  enqueue(db: Knex, name: string, payload: Record<string, unknown>): Promise<void>;
  /** Wakes idle workers; called after a transaction that enqueued has committed. */
  notify(): void;
  /** Starts consuming the named jobs with `concurrency` jobs at a time. */
  work(handlers: Readonly<Record<string, JobHandler>>, options: { concurrency: number }): void;
  counts(): Promise<QueueCounts>;
  stop(): Promise<void>;
}

export function backoffSeconds(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.retryDelaySeconds * 2 ** Math.max(0, attempt - 1), 6 * 3600);
}
