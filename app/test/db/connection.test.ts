import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { findSession, migrateDatabase, openDatabase } from '../../src/db/index.js';
import { selectAll, selectFirst } from '../../src/db/connection.js';

async function tempDb(t: ExecutionContext) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-db-'));
  const db = await openDatabase(path.join(dir, 'lokole.sqlite3'));
  await migrateDatabase(db);
  t.teardown(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  return db;
}

const user = (name: string) => ({
  name,
  address: `${name}@goma.lokole.ca`,
  password_hash: 'x',
  created_at: '2026-11-02T08:00:00Z',
});

test('prepared reads see what knex committed, at once', async (t) => {
  const db = await tempDb(t);
  t.is(await selectFirst(db, 'SELECT name FROM users WHERE name = ?', ['amani']), undefined);
  await db('users').insert(user('amani'));
  t.deepEqual(await selectFirst(db, 'SELECT name FROM users WHERE name = ?', ['amani']), { name: 'amani' });
});

test('inside a transaction, reads see its own uncommitted writes; outside, they do not', async (t) => {
  const db = await tempDb(t);
  await db.transaction(async (trx) => {
    await trx('users').insert(user('neema'));
    t.is((await selectAll(trx, 'SELECT name FROM users')).length, 1);
    t.is((await selectAll(db, 'SELECT name FROM users')).length, 0);
  });
  t.is((await selectAll(db, 'SELECT name FROM users')).length, 1);
});

test('the read handle cannot write', async (t) => {
  const db = await tempDb(t);
  const error = await selectAll(
    db,
    "INSERT INTO sync_runs (started_at, status) VALUES ('x', 'ok') RETURNING id",
  ).catch((caught: unknown) => caught);
  t.is((error as { code?: string }).code, 'SQLITE_READONLY');
});

test('a session is found until it expires', async (t) => {
  const db = await tempDb(t);
  await db('sessions').insert({ sid: 'abc', sess: '{"userId":1}', expired: '2026-11-03T08:00:00.000Z' });
  t.is(await findSession(db, 'abc', new Date('2026-11-03T07:59:00Z')), '{"userId":1}');
  t.is(await findSession(db, 'abc', new Date('2026-11-03T08:01:00Z')), undefined);
  t.is(await findSession(db, 'other', new Date('2026-11-02T08:00:00Z')), undefined);
});

test('the unread count is answered from an index', async (t) => {
  const db = await tempDb(t);
  const plan = (await db.raw(
    "EXPLAIN QUERY PLAN SELECT count(*) FROM mailboxes WHERE user_id = 1 AND folder = 'inbox' AND is_deleted = 0 AND is_read = 0",
  )) as { detail: string }[];
  t.regex(plan.map((row) => row.detail).join('\n'), /COVERING INDEX mailboxes_unread_index/);
});
