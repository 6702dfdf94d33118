import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { LokoleError } from '@lokole/protocol';
import { createAdminTokens } from '../../src/auth/index.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createDbStore } from '../../src/db/store.js';
import { createEmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createLogger } from '../../src/log.js';

async function tokensWithDb(t: ExecutionContext) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lokole-tokens-'));
  const knex = openDatabase({ engine: 'sqlite', databaseUrl: `sqlite://${dir}/db.sqlite3` });
  await migrateLatest(knex);
  t.teardown(async () => {
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const queue = createEmbeddedQueue({
    knex,
    policies: () => ({ maxAttempts: 1, retryDelaySeconds: 1 }),
    log: createLogger({ level: 'silent' }),
  });
  return {
    knex,
    tokens: createAdminTokens({
      store: createDbStore(knex, queue),
      now: () => new Date('2026-12-01T00:00:00Z'),
    }),
  };
}

test('a created token authenticates with its role, and only its hash is kept', async (t) => {
  const { knex, tokens } = await tokensWithDb(t);
  const created = await tokens.create('registrar', 'field team');
  t.deepEqual(await tokens.authenticate(created.token), { tokenId: created.id, role: 'registrar' });
  const rows = await knex('admin_tokens').select('*');
  t.false(JSON.stringify(rows).includes(created.token));
  t.is(rows[0]?.label, 'field team');
});

test('an unknown token, a device token and garbage do not authenticate', async (t) => {
  const { tokens } = await tokensWithDb(t);
  await tokens.create('admin');
  t.is(await tokens.authenticate('lka_unknown'), undefined);
  t.is(await tokens.authenticate('lkd_whatever'), undefined);
  t.is(await tokens.authenticate(''), undefined);
});

test('an unknown role is refused', async (t) => {
  const { tokens } = await tokensWithDb(t);
  const error = await t.throwsAsync(tokens.create('root'), { instanceOf: LokoleError });
  t.is(error?.code, 'INVALID_INPUT');
  t.regex(error!.message, /admin, registrar/);
});
