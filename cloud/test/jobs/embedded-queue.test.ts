import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { openDatabase } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createEmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import type { JobContext, JobQueue } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { waitFor } from '../helpers/wait.js';

async function setup(t: ExecutionContext, maxAttempts = 3): Promise<{ knex: Knex; queue: JobQueue }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lokole-jobs-'));
  const knex = openDatabase({ engine: 'sqlite', databaseUrl: `sqlite://${dir}/db.sqlite3` });
  await migrateLatest(knex);
  const queue = createEmbeddedQueue({
    knex,
    policies: () => ({ maxAttempts, retryDelaySeconds: 0.05 }),
    log: createLogger({ level: 'silent' }),
    pollMs: 20,
  });
  t.teardown(async () => {
    await queue.stop();
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  return { knex, queue };
}

test('a job enqueued in a committed transaction runs once with its payload, then leaves the table', async (t) => {
  const { knex, queue } = await setup(t);
  const seen: unknown[] = [];
  queue.work({ hello: async (payload) => void seen.push(payload) }, { concurrency: 2 });
  await knex.transaction((trx) => queue.enqueue(trx, 'hello', { n: 1 }));
  queue.notify();
  await waitFor(() => seen.length === 1);
  await waitFor(async () => Number((await knex('jobs').count({ n: '*' }).first())?.n) === 0);
  t.deepEqual(seen, [{ n: 1 }]);
});

test('a job enqueued in a transaction that rolls back never runs', async (t) => {
  const { knex, queue } = await setup(t);
  await t.throwsAsync(
    knex.transaction(async (trx) => {
      await queue.enqueue(trx, 'hello', {});
      throw new Error('roll back');
    }),
  );
  t.is(Number((await knex('jobs').count({ n: '*' }).first())?.n), 0);
});

test('a failing job is retried with its attempt number until it succeeds', async (t) => {
  const { knex, queue } = await setup(t);
  const contexts: JobContext[] = [];
  queue.work(
    {
      flaky: async (_payload, context) => {
        contexts.push(context);
        if (context.attempt < 3) throw new Error('not yet');
      },
    },
    { concurrency: 1 },
  );
  await queue.enqueue(knex, 'flaky', {});
  await waitFor(() => contexts.length === 3);
  t.deepEqual(
    contexts.map((c) => [c.attempt, c.isLastAttempt]),
    [
      [1, false],
      [2, false],
      [3, true],
    ],
  );
});

test('a job that fails on its last attempt is kept as failed with the error', async (t) => {
  const { knex, queue } = await setup(t, 2);
  queue.work({ broken: async () => Promise.reject(new Error('always broken')) }, { concurrency: 1 });
  await queue.enqueue(knex, 'broken', {});
  const row = await waitFor(
    async () =>
      (await knex('jobs').where('state', 'failed').first()) as
        { last_error: string; attempts: number } | undefined,
  );
  t.is(row.last_error, 'always broken');
  t.is(row.attempts, 2);
  t.deepEqual(await queue.counts(), { queued: 0, failed: 1 });
});

test('a job whose worker died (lease expired) is picked up again', async (t) => {
  const { knex, queue } = await setup(t);
  await queue.enqueue(knex, 'orphan', {});
  await knex('jobs').update({ locked_until: Date.now() - 1, attempts: 1 });
  const seen: JobContext[] = [];
  queue.work({ orphan: async (_p, context) => void seen.push(context) }, { concurrency: 1 });
  await waitFor(() => seen.length === 1);
  t.is(seen[0]!.attempt, 2);
});
