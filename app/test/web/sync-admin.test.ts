import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { createMailStore } from '../../src/db/index.js';
import { createSyncLog } from '../../src/db/sync.js';
import { createTestDevice, type TestDevice } from '../helpers/web.js';

const DEFERRED_SHA = 'ab'.repeat(32);

async function seedRuns(d: TestDevice): Promise<void> {
  const log = createSyncLog(d.db);
  const first = await log.start('2026-11-01T02:00:00.000Z');
  await log.finish(first, {
    startedAt: '2026-11-01T02:00:00.000Z',
    finishedAt: '2026-11-01T02:03:20.000Z',
    status: 'ok',
    bytesUp: 300 * 1024,
    bytesDown: 700 * 1024,
    emailsUp: 3,
    emailsDown: 7,
    steps: [{ step: 'upload', ms: 1000 }],
    clockOffsetMs: 0,
    link: {
      kind: 'modem',
      interfaceName: 'ppp0',
      upMs: 20_000,
      connectedMs: 180_000,
      bytes: { rx: 1536 * 1024, tx: 512 * 1024 },
      dial: undefined,
      warnings: [],
    },
  });
  const second = await log.start('2026-11-02T02:00:00.000Z');
  await log.finish(second, {
    startedAt: '2026-11-02T02:00:00.000Z',
    finishedAt: '2026-11-02T02:01:00.000Z',
    status: 'failed',
    bytesUp: 1024,
    bytesDown: 0,
    emailsUp: 0,
    emailsDown: 0,
    steps: [{ step: 'offer', ms: 30_000, error: 'The cloud did not answer within 30 s.' }],
    clockOffsetMs: undefined,
  });
}

async function deviceWithAdmin(t: Parameters<typeof createTestDevice>[0]) {
  const d = await createTestDevice(t);
  await d.admin('boss');
  return { d, admin: await d.logIn('boss') };
}

test('the sync page shows each run newest first, its failed step, and totals per day and month', async (t) => {
  const { d, admin } = await deviceWithAdmin(t);
  await seedRuns(d);
  const response = await admin.get('/admin/sync');
  t.is(response.status, 200);
  const failed = response.text.indexOf('The cloud did not answer within 30 s.');
  const ok = response.text.indexOf('Emails: 3 up, 7 down');
  t.true(failed > 0 && ok > failed, 'the failed run (newest) comes first');
  t.regex(response.text, /offer failed: The cloud did not answer within 30 s\./);
  t.regex(response.text, /Sync data: 300 KB up, 700 KB down/);
  t.regex(response.text, /Modem count: 512 KB up, 1\.5 MB down/);
  t.regex(response.text, /200 s/);
  t.regex(response.text, /<td>2026-11-02<\/td><td>1 KB<\/td><td>0<\/td><td>1<\/td>/);
  t.regex(response.text, /<td>2026-11-01<\/td><td>2 MB<\/td><td>10<\/td><td>1<\/td>/);
  t.regex(response.text, /<td>2026-11<\/td><td>2 MB<\/td><td>10<\/td><td>2<\/td>/);
  t.regex(response.text, /set a price per MB in the settings/);
});

test('with a price per MB the page estimates the cost from what the modem counted', async (t) => {
  const { d, admin } = await deviceWithAdmin(t);
  await seedRuns(d);
  await writeFile(
    path.join(d.dir, 'config.json'),
    JSON.stringify({ version: 2, pricePerMb: { amount: 100, currency: 'USD' } }),
  );
  const response = await admin.get('/admin/sync');
  t.is(response.status, 200);
  t.notRegex(response.text, /set a price per MB/);
  // 2 MB counted by the modem on the first day, 1 KB at the socket on the second.
  t.regex(response.text, /<td>2026-11-01<\/td><td>2 MB<\/td><td>10<\/td><td>1<\/td><td>\$200\.00<\/td>/);
  t.regex(response.text, /<td>2026-11<\/td><td>2 MB<\/td><td>10<\/td><td>2<\/td><td>\$200\.10<\/td>/);
});

test('"sync now" writes the request file for lokole-sync.path and runs nothing itself', async (t) => {
  const { d, admin } = await deviceWithAdmin(t);
  const requestFile = path.join(d.dir, 'sync-request');
  const refused = await admin.post('/admin/sync/now').type('form').send({});
  t.is(refused.status, 403);
  await t.throwsAsync(access(requestFile));
  t.is((await admin.get('/admin/sync/now')).status, 404);
  await t.throwsAsync(access(requestFile));

  const token = await d.csrf(admin, '/admin/sync');
  const response = await admin.post('/admin/sync/now').type('form').send({ _csrf: token });
  t.is(response.status, 303);
  t.is(response.headers.location, '/admin/sync');
  await access(requestFile);
  t.is(
    await d
      .db('sync_runs')
      .count({ n: '*' })
      .first()
      .then((row) => Number(row?.n)),
    0,
  );
  const page = await admin.get('/admin/sync');
  t.regex(page.text, /The sync will start in a moment\./);
  t.regex(page.text, /A sync has been asked for/);
});

test('"get full file" needs the form token, records the request, and the read view says so', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  await d.user('eve');
  const store = createMailStore(d.db);
  await store.transaction((tx) =>
    d.mail.importEmail(
      tx,
      {
        _uid: 'big-1',
        sent_at: '2026-11-02 07:00',
        from: 'friend@example.org',
        to: [ana.address],
        cc: [],
        bcc: [],
        subject: 'The report',
        body: '<p>Attached</p>',
        attachments: [
          {
            filename: 'report.pdf',
            type: 'application/pdf',
            size: 900_000,
            sha256: DEFERRED_SHA,
            deferred: true,
          },
        ],
      },
      () => undefined,
    ),
  );
  const reader = await d.logIn('ana');
  const before = await reader.get('/email/big-1');
  t.regex(before.text, /still in the cloud/);
  t.regex(before.text, /action="\/email\/big-1\/attachments\/0\/full"/);

  const requests = path.join(d.dir, 'sync', 'requests.json');
  const refused = await reader.post('/email/big-1/attachments/0/full').type('form').send({});
  t.is(refused.status, 403);
  await t.throwsAsync(access(requests));

  const stranger = await d.logIn('eve');
  const strangerToken = await d.csrf(stranger, '/inbox');
  const notTheirs = await stranger
    .post('/email/big-1/attachments/0/full')
    .type('form')
    .send({ _csrf: strangerToken });
  t.is(notTheirs.status, 404);
  await t.throwsAsync(access(requests));

  const token = await d.csrf(reader, '/email/big-1');
  const asked = await reader.post('/email/big-1/attachments/0/full').type('form').send({ _csrf: token });
  t.is(asked.status, 303);
  t.is(asked.headers.location, '/email/big-1');
  t.deepEqual(JSON.parse(await readFile(requests, 'utf8')), [DEFERRED_SHA]);
  const after = await reader.get('/email/big-1');
  t.regex(after.text, /asked for — it arrives with the sync after next/);
  t.notRegex(after.text, /action="\/email\/big-1\/attachments\/0\/full"/);
});
