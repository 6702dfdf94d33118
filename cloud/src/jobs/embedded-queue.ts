import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  backoffSeconds,
  type JobHandler,
  type JobQueue,
  type QueueCounts,
  type RetryPolicies,
} from './queue.js';

interface JobRow {
  id: number;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/** How long a claimed job stays invisible to other workers; a crashed worker's jobs come back after it. */
const LEASE_MS = 5 * 60_000;
/** Jobs one worker claims at a time; it runs them one after the other. */
const CLAIM_BATCH = 4;

/**
 * The embedded queue: a `jobs` table in the same database, polled in-process. A job enqueued in
 * a transaction commits with its data; an idle worker sleeps until `notify` or the next poll.
 */
export function createEmbeddedQueue(deps: {
  knex: Knex;
  policies: RetryPolicies;
  log: Logger;
  now?: () => number;
  pollMs?: number;
}): JobQueue {
  const { knex, policies, log } = deps;
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 200;
  let running = false;
  const loops: Promise<void>[] = [];
  // Idle workers wait here; `notify` wakes one (a job wakes one worker, not all of them).
  const waiting: Array<() => void> = [];

  function idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = waiting.indexOf(wake);
        if (index >= 0) waiting.splice(index, 1);
        resolve();
      }, pollMs);
      waiting.push(wake);
    });
  }

  /** Claims up to `limit` due jobs at once (fewer round trips under load). */
  async function claim(names: readonly string[], limit: number): Promise<JobRow[]> {
    const at = now();
    const next = knex('jobs')
      .select('id')
      .where('state', 'queued')
      .whereIn('name', names)
      .where('run_at', '<=', at)
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', at))
      .orderBy('run_at')
      .orderBy('id')
      .limit(limit);
    const rows = (await knex('jobs')
      .whereIn('id', next)
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', at))
      .update({ locked_until: at + LEASE_MS, attempts: knex.raw('attempts + 1') })
      .returning(['id', 'name', 'payload', 'attempts', 'max_attempts'])) as JobRow[];
    return rows.sort((a, b) => a.id - b.id);
  }

  async function run(job: JobRow, handler: JobHandler): Promise<void> {
    const context = {
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      isLastAttempt: job.attempts >= job.max_attempts,
    };
    try {
      await handler(JSON.parse(job.payload) as Record<string, unknown>, context);
      await knex('jobs').where('id', job.id).delete();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (context.isLastAttempt) {
        log.error({ err: error, job: job.name, id: job.id, attempts: job.attempts }, 'job failed for good');
        await knex('jobs')
          .where('id', job.id)
          .update({ state: 'failed', last_error: message, locked_until: null });
      } else {
        const delay = backoffSeconds(policies(job.name), job.attempts);
        log.warn(
          { err: error, job: job.name, id: job.id, attempts: job.attempts, delay },
          'job failed; will retry',
        );
        await knex('jobs')
          .where('id', job.id)
          .update({ run_at: now() + delay * 1000, locked_until: null, last_error: message });
      }
    }
  }

  async function loop(handlers: Readonly<Record<string, JobHandler>>): Promise<void> {
    const names = Object.keys(handlers);
    while (running) {
      let jobs: JobRow[] = [];
      try {
        jobs = await claim(names, CLAIM_BATCH);
      } catch (error) {
        if (!running) return;
        log.error({ err: error }, 'could not claim a job');
      }
      for (const job of jobs) await run(job, handlers[job.name]!);
      if (jobs.length === 0) await idle();
    }
  }

  return {
    kind: 'embedded',
    start: () => Promise.resolve(),
    async enqueue(db, name, payload) {
      const policy = policies(name);
      await db('jobs').insert({
        name,
        payload: JSON.stringify(payload),
        run_at: now(),
        attempts: 0,
        max_attempts: policy.maxAttempts,
        state: 'queued',
        created_at: new Date(now()).toISOString(),
      });
    },
    notify() {
      waiting.shift()?.();
    },
    work(handlers, { concurrency }) {
      running = true;
      for (let i = 0; i < concurrency; i += 1) loops.push(loop(handlers));
    },
    async counts(): Promise<QueueCounts> {
      const rows = (await knex('jobs').select('state').count({ n: '*' }).groupBy('state')) as {
        state: string;
        n: number | string;
      }[];
      const of = (state: string) => Number(rows.find((row) => row.state === state)?.n ?? 0);
      return { queued: of('queued'), failed: of('failed') };
    },
    async stop() {
      running = false;
      for (const wake of waiting.splice(0)) wake();
      await Promise.all(loops.splice(0));
    },
  };
}
