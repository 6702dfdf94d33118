import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import test from 'ava';
import { main } from '../../src/cli/run.js';
import { findUserByName, openDatabase } from '../../src/db/index.js';

function io(env: Record<string, string>, input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { env, stdin: Readable.from([input]), stdout, stderr }, out: () => out, err: () => err };
}

test('admin create reads the password from stdin and makes an admin; a second time is refused with 65', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = { LOKOLE_DATA_DIR: dir, LOKOLE_DEVICE_NAME: 'goma', LOG_LEVEL: 'silent' };
  const first = io(env, 'a long password\n');
  t.is(await main(['admin', 'create', '--name', 'Chief'], first.io), 0);
  t.regex(first.out(), /Created admin chief@goma.lokole.ca/);
  const db = await openDatabase(path.join(dir, 'lokole.sqlite3'));
  t.is((await findUserByName(db, 'chief'))?.role, 'admin');
  await db.destroy();
  const again = io(env, 'a long password\n');
  t.is(await main(['admin', 'create', '--name', 'chief'], again.io), 65);
  t.regex(again.err(), /taken/);
});

test('usage errors exit 64 and bad configuration exits 78 naming the variable', async (t) => {
  const unknown = io({});
  t.is(await main(['frobnicate'], unknown.io), 64);
  t.regex(unknown.err(), /unknown command/);
  const noName = io({ LOG_LEVEL: 'silent' });
  t.is(await main(['admin', 'create'], noName.io), 64);
  const bad = io({ LOKOLE_SYNC_SCHEDULE: 'every day' });
  t.is(await main(['migrate'], bad.io), 78);
  t.regex(bad.err(), /LOKOLE_SYNC_SCHEDULE "every day" is not a cron schedule/);
});

test('lokole apply --dry-run renders the overlay into a root and writes nothing', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-cli-root-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const run = io({});
  t.is(
    await main(['apply', '--root', root, '--dry-run', '--config', path.join(root, 'absent.json')], run.io),
    78,
  );
  const dry = io({});
  t.is(await main(['apply', '--root', root, '--dry-run'], dry.io), 0);
  t.regex(dry.out(), /^\+ .*etc\/hostapd\/hostapd\.conf$/m);
  t.deepEqual(await readdir(root), []);
});
