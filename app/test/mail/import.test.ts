import { createHash } from 'node:crypto';
import test from 'ava';
import type { Email } from '@lokole/protocol';
import { createMailStore, listWaitingUids, markHanded, recordDelivery } from '../../src/db/index.js';
import { createTestContext, DOMAIN } from '../helpers/context.js';

const bytes = Buffer.from('a PDF, honestly');
const sha256 = createHash('sha256').update(bytes).digest('hex');

function inbound(overrides: Partial<Email> = {}): Email {
  return {
    _uid: 'inbound-1',
    sent_at: '2026-11-01 10:00',
    from: 'friend@example.org',
    to: [`ana@${DOMAIN}`],
    cc: [`ben@${DOMAIN}`, 'other@example.org'],
    bcc: [],
    subject: 'Report',
    body: '<p onmouseover="steal()">Hello <a href="javascript:alert(1)">x</a></p>',
    attachments: [{ filename: 'r.pdf', type: 'application/pdf', size: bytes.length, sha256 }],
    ...overrides,
  };
}

test('an imported email lands in each local recipient’s inbox once, sanitised, with its attachment file', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const store = createMailStore(c.db);
  t.true(await store.transaction((tx) => c.mail.importEmail(tx, inbound(), () => bytes)));
  t.false(await store.transaction((tx) => c.mail.importEmail(tx, inbound(), () => bytes)));
  for (const user of [ana, ben]) {
    const { items } = await c.mail.listFolder(user.id, 'inbox');
    t.deepEqual(
      items.map((i) => [i.uid, i.attachmentCount]),
      [['inbound-1', 1]],
    );
  }
  const { email } = await c.mail.open(ana.id, 'inbound-1');
  t.is(email.bodyHtml, '<p>Hello <a target="_blank">x</a></p>');
  t.true(await c.files.has(sha256));
  t.is((await c.db('emails').count({ n: '*' }).first())?.n, 1);
});

test('an import inside a transaction that fails leaves nothing behind', async (t) => {
  const c = await createTestContext(t);
  await c.user('ana');
  const store = createMailStore(c.db);
  await t.throwsAsync(
    store.transaction(async (tx) => {
      await c.mail.importEmail(tx, inbound(), () => bytes);
      throw new Error('package rejected later');
    }),
  );
  t.is(Number((await c.db('emails').count({ n: '*' }).first())?.n), 0);
  t.is(Number((await c.db('mailboxes').count({ n: '*' }).first())?.n), 0);
});

test('mail to news@ shows on the news page only from an allowed sender', async (t) => {
  const c = await createTestContext(t);
  const store = createMailStore(c.db);
  const news = { to: [`news@${DOMAIN}`], cc: [], attachments: [] };
  await store.transaction((tx) =>
    c.mail.importEmail(tx, inbound({ ...news, _uid: 'n1', from: 'editor@radio.cd' }), () => undefined),
  );
  await store.transaction((tx) =>
    c.mail.importEmail(tx, inbound({ ...news, _uid: 'n2', from: 'spammer@example.org' }), () => undefined),
  );
  t.deepEqual(
    (await c.mail.listNews()).items.map((i) => i.uid),
    ['n1'],
  );
  await t.throwsAsync(c.mail.openNews('n2'));
});

test('a deferred attachment is listed without a file', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const store = createMailStore(c.db);
  await store.transaction((tx) =>
    c.mail.importEmail(
      tx,
      inbound({
        attachments: [{ filename: 'big.pdf', type: 'application/pdf', size: 9e6, sha256, deferred: true }],
      }),
      () => {
        throw new Error('not asked for');
      },
    ),
  );
  const { attachment, path } = await c.mail.attachment(ana.id, 'inbound-1', { position: 0 });
  t.true(attachment.deferred);
  t.is(path, undefined);
});

test('the sync issue moves outbox mail through handed, sent and bounced', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const { uid } = await c.mail.send(ana, {
    to: ['x@example.org'],
    cc: [],
    bcc: [],
    subject: 's',
    bodyHtml: 'b',
    attachments: [],
  });
  t.deepEqual(await listWaitingUids(c.db), [uid]);
  await markHanded(c.db, [uid], '2026-11-03T02:00:00Z');
  t.deepEqual(await listWaitingUids(c.db), []);
  t.is((await c.mail.listFolder(ana.id, 'outbox')).items.length, 0);
  t.is((await c.mail.listFolder(ana.id, 'sent')).items[0]?.deliveryState, 'handed');
  await recordDelivery(c.db, uid, {
    status: 'bounced',
    at: '2026-11-03T02:05:00Z',
    detail: '550 no such user',
  });
  const { email } = await c.mail.open(ana.id, uid);
  t.deepEqual(
    [email.deliveryState, email.bouncedAt, email.deliveryDetail],
    ['bounced', '2026-11-03T02:05:00Z', '550 no such user'],
  );
});

test('attachment bytes whose hash does not match are refused', async (t) => {
  const c = await createTestContext(t);
  await t.throwsAsync(c.files.putBuffer(Buffer.from('x'), sha256), { message: /hash to/ });
});
