import { createHash } from 'node:crypto';
import test from 'ava';
import { createMailStore } from '../../src/db/index.js';
import { makePng } from '../helpers/fixtures.js';
import { createTestDevice, type Agent } from '../helpers/web.js';

type Caller = 'anonymous' | 'user' | 'other' | 'suspended' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'user', 'other', 'suspended', 'admin'];

/** A status, or a status and where it redirects. */
type Expected = number | [number, string];

interface Row {
  method: 'GET' | 'POST';
  path: string;
  form?: Record<string, string>;
  expect: Record<Caller, Expected>;
}

const LOGIN: Expected = [303, '/login'];
/** Pages of signed-in users: anonymous and suspended callers are sent to log in. */
const userPage = (ok: Expected = 200): Record<Caller, Expected> => ({
  anonymous: LOGIN,
  user: ok,
  other: ok,
  suspended: LOGIN,
  admin: ok,
});
/** One email's pages: only the recipient sees it; everyone else, admin included, gets 404. */
const ownEmail = (ok: Expected = 200, stranger: Expected = 404): Record<Caller, Expected> => ({
  anonymous: stranger,
  user: ok,
  other: 404,
  suspended: stranger,
  admin: 404,
});
const everyone = (status: Expected): Record<Caller, Expected> => ({
  anonymous: status,
  user: status,
  other: status,
  suspended: status,
  admin: status,
});
const adminOnly = (ok: Expected = 200): Record<Caller, Expected> => ({
  anonymous: LOGIN,
  user: 403,
  other: 403,
  suspended: LOGIN,
  admin: ok,
});

test('every route answers every kind of caller as the authorization matrix says', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  const ben = await d.user('ben');
  await d.user('eve');
  const sus = await d.user('sus');
  const boss = await d.admin('boss');
  const zed = await d.user('zed');

  const png = await makePng();
  const text = Buffer.from('minutes of the meeting');
  const store = createMailStore(d.db);
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const email = await d.mail.send(ana, {
    to: [ben.address, sus.address],
    cc: [],
    bcc: [],
    subject: 'Private',
    bodyHtml: '<p>Hi <img src="cid:logo"></p>',
    attachments: [
      { ...(await d.files.putBuffer(png)), filename: 'logo.png', type: 'image/png', cid: 'logo' },
      { ...(await d.files.putBuffer(text)), filename: 'minutes.txt', type: 'text/plain' },
    ],
  });
  await store.transaction((tx) =>
    d.mail.importEmail(
      tx,
      {
        _uid: 'news-1',
        sent_at: '2026-11-02 07:00',
        from: 'editor@radio.cd',
        to: ['news@kinshasa.lokole.ca'],
        cc: [],
        bcc: [],
        subject: 'Radio news',
        body: '<p>News</p>',
        attachments: [{ filename: 'notes.txt', type: 'text/plain', size: text.length, sha256: sha(text) }],
      },
      () => text,
    ),
  );

  const agents = {} as Record<Caller, Agent>;
  const tokens = {} as Record<Caller, string>;
  agents.anonymous = d.anonymous();
  agents.user = await d.logIn('ben');
  agents.other = await d.logIn('eve');
  agents.suspended = await d.logIn('sus');
  agents.admin = await d.logIn('boss');
  await d.accounts.suspend(boss.id, sus.id);
  for (const caller of CALLERS) tokens[caller] = await d.csrf(agents[caller], '/news');

  const E = `/email/${email.uid}`;
  const rows: Row[] = [
    {
      method: 'GET',
      path: '/',
      expect: { ...everyone([303, '/inbox']), anonymous: LOGIN, suspended: LOGIN },
    },
    {
      method: 'GET',
      path: '/login',
      expect: { ...everyone([303, '/inbox']), anonymous: 200, suspended: 200 },
    },
    {
      method: 'GET',
      path: '/signup',
      expect: { ...everyone([303, '/inbox']), anonymous: 200, suspended: 200 },
    },
    { method: 'GET', path: '/inbox', expect: userPage() },
    { method: 'GET', path: '/sent', expect: userPage() },
    { method: 'GET', path: '/outbox', expect: userPage() },
    { method: 'GET', path: '/search?q=private', expect: userPage() },
    { method: 'GET', path: '/compose', expect: userPage() },
    { method: 'GET', path: '/users', expect: userPage() },
    { method: 'GET', path: '/password', expect: userPage() },
    { method: 'GET', path: '/news', expect: everyone(200) },
    { method: 'GET', path: '/news/news-1', expect: everyone(200) },
    { method: 'GET', path: `/news/${email.uid}`, expect: everyone(404) },
    { method: 'GET', path: '/email/news-1/body', expect: everyone(200) },
    { method: 'GET', path: '/email/news-1/attachments/0', expect: everyone(200) },
    { method: 'GET', path: E, expect: ownEmail(200, LOGIN) },
    { method: 'GET', path: `${E}/body`, expect: ownEmail() },
    { method: 'GET', path: `${E}/attachments/0`, expect: ownEmail() },
    { method: 'GET', path: `${E}/attachments/1`, expect: ownEmail() },
    { method: 'GET', path: `${E}/attachments/7`, expect: everyone(404) },
    { method: 'GET', path: `${E}/cid/logo`, expect: ownEmail() },
    {
      method: 'GET',
      path: '/email/no-such-email',
      expect: { ...everyone(404), anonymous: LOGIN, suspended: LOGIN },
    },
    { method: 'GET', path: '/email/no-such-email/body', expect: everyone(404) },
    { method: 'GET', path: `/compose?reply=${email.uid}`, expect: ownEmail(200, LOGIN) },
    { method: 'GET', path: `/compose?replyall=${email.uid}`, expect: ownEmail(200, LOGIN) },
    { method: 'GET', path: `/compose?forward=${email.uid}`, expect: ownEmail(200, LOGIN) },
    { method: 'GET', path: '/admin', expect: adminOnly([303, '/admin/users']) },
    { method: 'GET', path: '/admin/users', expect: adminOnly() },
    { method: 'GET', path: '/admin/status', expect: adminOnly() },
    { method: 'GET', path: `/admin/users/${zed.id}/reset`, expect: adminOnly() },
    { method: 'GET', path: '/admin/diagnostics', expect: adminOnly() },
    { method: 'GET', path: '/admin/diagnostics/signal.json', expect: adminOnly() },
    { method: 'GET', path: '/admin/diagnostics/refresh.js', expect: adminOnly() },
    { method: 'GET', path: '/admin/users/9999/reset', expect: { ...adminOnly(), admin: 404 } },
    { method: 'GET', path: '/admin/sync', expect: adminOnly() },
    { method: 'GET', path: '/admin/sync/now', expect: { ...adminOnly(), admin: 404 } },
    { method: 'GET', path: `${E}/attachments/1/full`, expect: everyone(404) },
    { method: 'GET', path: '/no-such-page', expect: everyone(404) },
    {
      method: 'POST',
      path: '/language',
      form: { language: 'fr', next: '/news' },
      expect: everyone([303, '/news']),
    },
    { method: 'POST', path: '/open', form: { uid: email.uid }, expect: ownEmail([303, E], LOGIN) },
    {
      method: 'POST',
      path: '/open',
      form: { uid: 'news-1' },
      expect: { ...everyone(404), anonymous: LOGIN, suspended: LOGIN },
    },
    { method: 'POST', path: `${E}/unread`, expect: ownEmail([303, '/inbox'], LOGIN) },
    {
      method: 'POST',
      path: '/password',
      form: { current: 'wrong', password: 'x', confirm: 'x' },
      expect: userPage(400),
    },
    { method: 'POST', path: `/admin/users/${zed.id}/promote`, expect: adminOnly([303, '/admin/users']) },
    { method: 'POST', path: `/admin/users/${zed.id}/demote`, expect: adminOnly([303, '/admin/users']) },
    { method: 'POST', path: `/admin/users/${zed.id}/suspend`, expect: adminOnly([303, '/admin/users']) },
    { method: 'POST', path: `/admin/users/${zed.id}/reactivate`, expect: adminOnly([303, '/admin/users']) },
    { method: 'POST', path: `/admin/users/${zed.id}/reset`, expect: adminOnly(200) },
    { method: 'POST', path: '/admin/users/9999/promote', expect: { ...adminOnly(), admin: 404 } },
    { method: 'POST', path: '/admin/diagnostics/ussd', form: { code: '*123#' }, expect: adminOnly() },
    { method: 'POST', path: '/admin/diagnostics/test-connection', expect: adminOnly() },
    { method: 'POST', path: '/admin/sync/now', expect: adminOnly([303, '/admin/sync']) },
    { method: 'POST', path: `${E}/attachments/1/full`, expect: ownEmail([303, E], LOGIN) },
    { method: 'POST', path: `${E}/attachments/7/full`, expect: ownEmail(404, LOGIN) },
    { method: 'POST', path: `${E}/delete`, expect: ownEmail([303, '/inbox'], LOGIN) },
  ];

  const failures: string[] = [];
  for (const row of rows) {
    for (const caller of CALLERS) {
      const agent = agents[caller];
      const response =
        row.method === 'GET'
          ? await agent.get(row.path)
          : await agent
              .post(row.path)
              .type('form')
              .send({ _csrf: tokens[caller], ...row.form });
      const expected = row.expect[caller];
      const [status, location] = Array.isArray(expected) ? expected : [expected, undefined];
      const actualLocation = response.headers.location?.split('?')[0];
      if (response.status !== status || (location !== undefined && actualLocation !== location)) {
        failures.push(
          `${row.method} ${row.path} as ${caller}: expected ${status}${location ? ` → ${location}` : ''}, got ${response.status}${response.headers.location ? ` → ${response.headers.location}` : ''}`,
        );
      }
    }
  }
  t.deepEqual(failures, []);
  t.true(rows.length * CALLERS.length > 200);
});
