import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { JOB_NAMES, type JobHandler, type JobQueue, type QueueCounts, type RetryPolicies } from './queue.js';

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss on the same PostgreSQL. `enqueue` hands pg-boss the connection of the caller's knex
 * transaction (its `db` option), so the job row commits with the data. Workers fetch in batches
 * and complete or fail each job on its own; pg-boss schedules the retries with backoff.
 */
export function createPgBossQueue(deps: {
  connectionString: string;
  policies: RetryPolicies;
  log: Logger;
  pollMs?: number;
  batchSize?: number;
}): JobQueue {
  const { policies, log } = deps;
  const pollMs = deps.pollMs ?? 250;
  const boss = new PgBoss({
    connectionString: deps.connectionString,
    schema: 'pgboss',
    max: 4,
    schedule: false,
    supervise: true,
    migrate: true,
  });
  boss.on('error', (error: Error) => log.error({ err: error }, 'pg-boss error'));
  let running = false;
  let started = false;
  let wake = new AbortController();
  const loops: Promise<void>[] = [];

  function optionsFor(name: string) {
    const policy = policies(name);
    return { retryLimit: policy.maxAttempts - 1, retryDelay: policy.retryDelaySeconds, retryBackoff: true };
  }

  async function ensureQueues(): Promise<void> {
    for (const name of JOB_NAMES) {
      if (await boss.getQueue(name)) continue;
      // Several processes may start at once; the loser of the race finds the queue made.
      await boss.createQueue(name, { name, ...optionsFor(name) }).catch(async (error: unknown) => {
        if (!(await boss.getQueue(name))) throw error;
      });
    }
  }

  async function runOne(
    name: string,
    job: PgBoss.JobWithMetadata<object>,
    handler: JobHandler,
  ): Promise<void> {
    const attempt = job.retryCount + 1;
    const maxAttempts = job.retryLimit + 1;
    try {
      await handler(job.data as Record<string, unknown>, {
        attempt,
        maxAttempts,
        isLastAttempt: attempt >= maxAttempts,
      });
      await boss.complete(name, job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ err: error, job: name, id: job.id, attempt }, 'job failed');
      await boss.fail(name, job.id, { message });
    }
  }

  async function loop(name: string, handler: JobHandler, batchSize: number): Promise<void> {
    while (running) {
      let jobs: PgBoss.JobWithMetadata<object>[] = [];
      try {
        jobs = (await boss.fetch(name, { batchSize, includeMetadata: true })) ?? [];
      } catch (error) {
        if (!running) return;
        log.error({ err: error, job: name }, 'could not fetch jobs');
      }
      if (jobs.length > 0) {
        await Promise.all(jobs.map((job) => runOne(name, job, handler)));
        continue;
      }
      await sleep(pollMs, undefined, { signal: wake.signal }).catch(() => undefined);
    }
  }

  return {
    kind: 'pg-boss',
    async start() {
      if (started) return;
      await boss.start();
      started = true;
      await ensureQueues();
    },
    async enqueue(db: Knex, name, payload) {
      if (!db.isTransaction) {
        await boss.send(name, payload, optionsFor(name));
        return;
      }
      // Inside a knex transaction the client always hands out the transaction's connection.
      const client = (await db.client.acquireConnection()) as PgClient;
      await boss.send(name, payload, {
        ...optionsFor(name),
        db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) },
      });
    },
    notify() {
      const previous = wake;
      wake = new AbortController();
      previous.abort();
    },
    work(handlers, { concurrency }) {
      running = true;
      for (const [name, handler] of Object.entries(handlers)) {
        loops.push(loop(name, handler, deps.batchSize ?? concurrency * 4));
      }
    },
    async counts(): Promise<QueueCounts> {
      let queued = 0;
      for (const name of JOB_NAMES) queued += await boss.getQueueSize(name);
      const { rows } = (await boss
        .getDb()
        .executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'failed'`, [])) as {
        rows: { n: number }[];
      };
      return { queued, failed: rows[0]?.n ?? 0 };
    },
    async stop() {
      running = false;
      this.notify();
      await Promise.all(loops.splice(0));
      if (started) await boss.stop({ graceful: true, close: true, wait: true, timeout: 10_000 });
      started = false;
    },
  };
}
