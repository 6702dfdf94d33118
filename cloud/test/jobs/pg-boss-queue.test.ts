import test, { type ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { openDatabase } from '../../src/db/connect.js';
import { createPgBossQueue } from '../../src/jobs/pg-boss-queue.js';
import type { JobContext } from '../../src/jobs/queue.js';
import { createLogger } from '../../src/log.js';
import { usePostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

const postgres = usePostgres(test);

async function setup(t: ExecutionContext) {
  const knex: Knex = openDatabase({ engine: 'postgres', databaseUrl: postgres().url });
  const queue = createPgBossQueue({
    connectionString: postgres().url,
    policies: () => ({ maxAttempts: 3, retryDelaySeconds: 1 }),
    log: createLogger({ level: 'silent' }),
    pollMs: 50,
  });
  await queue.start();
  await knex.raw('CREATE TABLE IF NOT EXISTS things (id text PRIMARY KEY)');
  t.teardown(async () => {
    await queue.stop();
    await knex.destroy();
  });
  return { knex, queue };
}

test.serial('a job sent inside a knex transaction commits with the data and runs', async (t) => {
  const { knex, queue } = await setup(t);
  const seen: unknown[] = [];
  queue.work({ 'parse-inbound': async (payload) => void seen.push(payload) }, { concurrency: 2 });
  await knex.transaction(async (trx) => {
    await trx('things').insert({ id: 'a' });
    await queue.enqueue(trx, 'parse-inbound', { id: 'a' });
  });
  await waitFor(() => seen.length === 1, { what: 'the job' });
  t.deepEqual(seen, [{ id: 'a' }]);
});

test.serial('a job sent inside a transaction that rolls back is gone with the data', async (t) => {
  const { knex, queue } = await setup(t);
  await t.throwsAsync(
    knex.transaction(async (trx) => {
      await trx('things').insert({ id: 'b' });
      await queue.enqueue(trx, 'service-mail', { id: 'b' });
      throw new Error('roll back');
    }),
  );
  t.is((await queue.counts()).queued, 0);
  t.is(Number((await knex('things').where('id', 'b').count({ n: '*' }).first())?.n), 0);
});

test.serial('a failing job is retried by pg-boss and knows its last attempt', async (t) => {
  const { knex, queue } = await setup(t);
  const contexts: JobContext[] = [];
  queue.work(
    {
      'dns-add-mx': async (_payload, context) => {
        contexts.push(context);
        if (!context.isLastAttempt) throw new Error('not yet');
      },
    },
    { concurrency: 1 },
  );
  await queue.enqueue(knex, 'dns-add-mx', {});
  await waitFor(() => contexts.length === 3, { timeoutMs: 20_000, what: 'three attempts' });
  t.deepEqual(
    contexts.map((c) => c.attempt),
    [1, 2, 3],
  );
});
