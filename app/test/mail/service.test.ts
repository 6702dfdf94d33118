import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { createTestContext, DOMAIN } from '../helpers/context.js';

test('mail between users of the device lands in the inbox at once and in the sender’s sent folder', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const { uid, isWaiting } = await c.mail.send(ana, {
    to: [ben.address],
    cc: [],
    bcc: [],
    subject: 'Mbote',
    bodyHtml: '<p>Sango nini?</p><script>alert(1)</script>',
    attachments: [],
  });
  t.false(isWaiting);
  const inbox = await c.mail.listFolder(ben.id, 'inbox');
  t.deepEqual(
    inbox.items.map((item) => [item.uid, item.subject, item.isRead]),
    [[uid, 'Mbote', false]],
  );
  t.is((await c.mail.listFolder(ana.id, 'sent')).items.length, 1);
  t.is((await c.mail.listFolder(ana.id, 'outbox')).items.length, 0);
  t.is(await c.mail.unreadCount(ben.id), 1);
  const { email } = await c.mail.open(ben.id, uid);
  t.is(email.bodyHtml, '<p>Sango nini?</p>');
});

test('mail to anyone outside the device waits in the outbox in state waiting', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const { uid, isWaiting } = await c.mail.send(ana, {
    to: ['friend@example.org'],
    cc: [ben.address],
    bcc: [],
    subject: 'Hello',
    bodyHtml: 'x',
    attachments: [],
  });
  t.true(isWaiting);
  t.is((await c.mail.listFolder(ana.id, 'outbox')).items[0]?.deliveryState, 'waiting');
  t.is((await c.mail.listFolder(ben.id, 'inbox')).items[0]?.uid, uid);
  t.is(await c.mail.countWaiting(), 1);
});

test('read and delete are per user: one user deleting leaves the other’s copy', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const cleo = await c.user('cleo');
  const { uid } = await c.mail.send(ana, {
    to: [ben.address, cleo.address],
    cc: [],
    bcc: [],
    subject: 'Both',
    bodyHtml: 'x',
    attachments: [],
  });
  await c.mail.setRead(ben.id, uid, true);
  await c.mail.deleteForUser(ben.id, uid);
  t.is((await c.mail.listFolder(ben.id, 'inbox')).items.length, 0);
  const [item] = (await c.mail.listFolder(cleo.id, 'inbox')).items;
  t.is(item?.uid, uid);
  t.false(item?.isRead);
  const error = await t.throwsAsync(c.mail.open(ben.id, uid));
  t.true(isLokoleError(error, 'NOT_FOUND'));
});

test('an email is not found for a user who never received it', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const eve = await c.user('eve');
  const { uid } = await c.mail.send(ana, {
    to: [ben.address],
    cc: [],
    bcc: [],
    subject: 's',
    bodyHtml: 'x',
    attachments: [],
  });
  for (const attempt of [
    c.mail.open(eve.id, uid),
    c.mail.open(undefined, uid),
    c.mail.setRead(eve.id, uid, true),
  ]) {
    const error = await t.throwsAsync(attempt);
    t.true(isLokoleError(error, 'NOT_FOUND'));
  }
});

test('search finds words in subject, body and addresses, by prefix and without accents, in the user’s own mail only', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  const eve = await c.user('eve');
  await c.mail.send(ana, {
    to: [ben.address],
    cc: [],
    bcc: [],
    subject: 'Réunion du comité',
    bodyHtml: '<p>Le rapport annuel</p>',
    attachments: [],
  });
  await c.mail.send(ana, {
    to: [eve.address],
    cc: [],
    bcc: [],
    subject: 'Réunion secrète',
    bodyHtml: 'x',
    attachments: [],
  });
  t.is((await c.mail.search(ben.id, 'reunion')).items.length, 1);
  t.is((await c.mail.search(ben.id, 'rapp')).items.length, 1);
  t.is((await c.mail.search(ben.id, `ana@${DOMAIN}`)).items.length, 1);
  t.is((await c.mail.search(ben.id, 'secrète')).items.length, 0);
  t.is((await c.mail.search(ana.id, 'réunion')).items.length, 2);
  t.is((await c.mail.search(ben.id, '" OR NEAR(')).items.length, 0);
  t.is((await c.mail.search(ben.id, '')).items.length, 0);
});

test('local addresses that belong to nobody are named; news@ is somebody', async (t) => {
  const c = await createTestContext(t);
  await c.user('ana');
  t.deepEqual(
    await c.mail.unknownLocalAddresses([`ana@${DOMAIN}`, `zoe@${DOMAIN}`, `news@${DOMAIN}`, 'x@example.org']),
    [`zoe@${DOMAIN}`],
  );
});

test('listings come in pages of 25 with a flag for more', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const ben = await c.user('ben');
  for (let i = 0; i < 27; i++) {
    c.advance(1);
    await c.mail.send(ana, {
      to: [ben.address],
      cc: [],
      bcc: [],
      subject: `n${i}`,
      bodyHtml: 'x',
      attachments: [],
    });
  }
  const first = await c.mail.listFolder(ben.id, 'inbox', 1);
  t.is(first.items.length, 25);
  t.true(first.hasMore);
  t.is(first.items[0]?.subject, 'n26');
  const second = await c.mail.listFolder(ben.id, 'inbox', 2);
  t.deepEqual(
    second.items.map((i) => i.subject),
    ['n1', 'n0'],
  );
  t.false(second.hasMore);
});
