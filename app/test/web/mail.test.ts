import { readdir } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { makePhoto, makePng } from '../helpers/fixtures.js';
import { createTestDevice, type Agent, type TestDevice } from '../helpers/web.js';

async function compose(
  d: TestDevice,
  agent: Agent,
  fields: Record<string, string>,
  files: [Buffer, string][] = [],
) {
  const token = await d.csrf(agent, '/compose');
  let request = agent.post(`/compose?_csrf=${encodeURIComponent(token)}`);
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  for (const [bytes, name] of files) request = request.attach('files', bytes, name);
  return request;
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('every bad address is named, and an unknown local user too', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  const agent = await d.logIn('ana');
  const response = await compose(d, agent, {
    to: 'good@example.org, bob@, nobody@kinshasa.lokole.ca',
    cc: 'not an address',
    subject: 'x',
    body: 'x',
  });
  t.is(response.status, 400);
  t.regex(response.text, /&#34;bob@&#34; is not an email address/);
  t.regex(response.text, /&#34;not&#34; is not an email address/);
  t.regex(response.text, /Nobody on this Lokole has the address nobody@kinshasa.lokole.ca/);
  t.regex(response.text, /value="good@example.org, bob@, nobody@kinshasa.lokole.ca"/);
  t.is(
    await d
      .db('emails')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
  );
});

test('an upload over the limit gets a clear 413 and nothing is stored', async (t) => {
  const d = await createTestDevice(t, { LOKOLE_MAX_UPLOAD_MB: '1' });
  await d.user('ana');
  await d.user('ben');
  const agent = await d.logIn('ana');
  const response = await compose(
    d,
    agent,
    { to: 'ben@kinshasa.lokole.ca', subject: 'Big', body: 'x', original: '1' },
    [
      [Buffer.alloc(600 * 1024, 1), 'a.bin'],
      [Buffer.alloc(600 * 1024, 2), 'b.bin'],
    ],
  );
  t.is(response.status, 413);
  t.regex(response.text, /at most 1 MB in all. Nothing was sent/);
  t.regex(response.text, /value="Big"/);
  t.is(
    await d
      .db('emails')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
  );
  t.deepEqual(await filesIn(d.config.attachmentsDir), []);
});

test('a large photo is shrunk to 1600 px JPEG, unless "send original" is ticked; other files are untouched', async (t) => {
  const d = await createTestDevice(t, { LOKOLE_MAX_UPLOAD_MB: '8' });
  await d.user('ana');
  await d.user('ben');
  const agent = await d.logIn('ana');
  const photo = await makePhoto();
  const small = await makePng();
  const pdf = Buffer.from('%PDF-1.4 not really');
  t.is(
    (
      await compose(d, agent, { to: 'ben@kinshasa.lokole.ca', subject: 'Photos', body: 'x' }, [
        [photo, 'IMG_1.png'],
        [small, 'logo.png'],
        [pdf, 'doc.pdf'],
      ])
    ).status,
    303,
  );
  t.is(
    (
      await compose(
        d,
        agent,
        { to: 'ben@kinshasa.lokole.ca', subject: 'Original', body: 'x', original: '1' },
        [[photo, 'IMG_2.jpg']],
      )
    ).status,
    303,
  );
  const rows = await d.db('email_attachments').orderBy(['email_id', 'position']);
  t.deepEqual(
    rows.map((r) => [r.filename, r.type]),
    [
      ['IMG_1.jpg', 'image/jpeg'],
      ['logo.png', 'image/png'],
      ['doc.pdf', 'application/pdf'],
      ['IMG_2.jpg', 'image/jpeg'],
    ],
  );
  const resized = await sharp(d.files.pathFor(rows[0].sha256)).metadata();
  t.is(Math.max(resized.width!, resized.height!), 1600);
  t.true(rows[0].size < photo.length);
  t.is(rows[1].size, small.length);
  t.is(rows[3].size, photo.length);
});

test('reply-all answers everyone but the user; bcc is shown to the sender only', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  await d.user('ben');
  await d.user('cleo');
  const { uid } = await d.mail.send(ana, {
    to: ['ben@kinshasa.lokole.ca', 'x@example.org'],
    cc: ['cleo@kinshasa.lokole.ca'],
    bcc: ['secret@example.org'],
    subject: 'Plan',
    bodyHtml: '<p>Line one</p>',
    attachments: [],
  });
  const ben = await d.logIn('ben');
  const read = await ben.get(`/email/${uid}`);
  t.notRegex(read.text, /secret@example.org/);
  const reply = await ben.get(`/compose?replyall=${uid}`);
  t.regex(reply.text, /id="to" name="to" value="ana@kinshasa.lokole.ca"/);
  t.regex(reply.text, /id="cc" name="cc" value="x@example.org, cleo@kinshasa.lokole.ca"/);
  t.regex(reply.text, /value="Re: Plan"/);
  t.regex(reply.text, /&gt; Line one/);
  const sender = await d.logIn('ana');
  t.regex((await sender.get(`/email/${uid}`)).text, /secret@example.org/);
});

test('mail to the internet waits in the outbox, which says when the next sync is', async (t) => {
  const d = await createTestDevice(t, { LOKOLE_SYNC_SCHEDULE: '30 3 * * *' });
  await d.user('ana');
  const agent = await d.logIn('ana');
  const response = await compose(d, agent, { to: 'friend@example.org', subject: 'Out', body: 'x' });
  t.is(response.headers.location, '/outbox');
  const outbox = await agent.get('/outbox');
  t.regex(outbox.text, /in the outbox. It leaves at the next connection/);
  t.regex(outbox.text, /Waiting/);
  t.regex(outbox.text, /Out/);
});

test('a forward carries the original’s attachments that stay ticked', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  await d.user('ben');
  await d.user('cleo');
  const ana = await d.logIn('ana');
  await compose(d, ana, { to: 'ben@kinshasa.lokole.ca', subject: 'Files', body: 'x', original: '1' }, [
    [Buffer.from('one'), 'one.txt'],
    [Buffer.from('two'), 'two.txt'],
  ]);
  const ben = await d.logIn('ben');
  const [uid] = (await d.db('emails').select('uid')).map((r) => r.uid);
  const form = await ben.get(`/compose?forward=${uid}`);
  t.regex(form.text, /value="Fwd: Files"/);
  t.regex(form.text, /name="keep" value="0" checked/);
  t.is(
    (
      await compose(d, ben, {
        to: 'cleo@kinshasa.lokole.ca',
        subject: 'Fwd: Files',
        body: 'see',
        forward: uid!,
        keep: '1',
      })
    ).status,
    303,
  );
  const cleo = await d.logIn('cleo');
  const cleoId = (await d.accounts.listUsers()).find((u) => u.name === 'cleo')!.id;
  const inbox = await d.mail.listFolder(cleoId, 'inbox');
  const opened = await d.mail.open(cleoId, inbox.items[0]!.uid);
  t.deepEqual(
    opened.email.attachments.map((a) => a.filename),
    ['two.txt'],
  );
  const download = await cleo.get(`/email/${inbox.items[0]!.uid}/attachments/0`);
  t.is(download.text, 'two');
});

test('the body route sends the sandbox CSP, and cid: images point at the attachment route', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  await d.user('ben');
  const png = await makePng();
  const { uid } = await d.mail.send(ana, {
    to: ['ben@kinshasa.lokole.ca'],
    cc: [],
    bcc: [],
    subject: 'Logo',
    bodyHtml: '<p onclick="x()">Hi <img src="cid:logo@x"></p><script>alert(1)</script>',
    attachments: [
      { ...(await d.files.putBuffer(png)), filename: 'logo.png', type: 'image/png', cid: 'logo@x' },
    ],
  });
  const ben = await d.logIn('ben');
  const body = await ben.get(`/email/${uid}/body`);
  t.is(
    body.headers['content-security-policy'],
    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'",
  );
  t.is(body.headers['x-content-type-options'], 'nosniff');
  t.notRegex(body.text, /script|onclick/);
  const src = new RegExp(`src="(/email/${uid}/cid/logo%40x\\?k=[\\w-]{32})"`).exec(body.text)?.[1];
  t.truthy(src);
  // The frame is sandboxed and gets no cookie: the key in the URL is what lets the image through.
  const keyed = await d.anonymous().get(src!);
  t.is(keyed.status, 200);
  t.is(keyed.headers['cross-origin-resource-policy'], 'cross-origin');
  t.is((await d.anonymous().get(src!.replace(/k=./, 'k=x'))).status, 404);
  t.is((await d.anonymous().get(`/email/${uid}/cid/logo%40x`)).status, 404);
  const image = await ben.get(`/email/${uid}/cid/logo%40x`);
  t.is(image.status, 200);
  t.is(image.headers['content-type'], 'image/png');
  t.is(image.headers['content-disposition'], 'inline');
  const download = await ben.get(`/email/${uid}/attachments/0`);
  t.regex(download.headers['content-disposition']!, /^attachment; filename="?logo\.png"?$/);
  t.is(download.headers['x-content-type-options'], 'nosniff');
  const read = await ben.get(`/email/${uid}`);
  t.regex(
    read.text,
    /<iframe class="body" sandbox="allow-popups allow-popups-to-escape-sandbox" src="\/email\/[^"]+\/body"/,
  );
});

test('an HTML attachment is only ever downloaded, never shown inline', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  await d.user('ben');
  const html = Buffer.from('<script>alert(1)</script>');
  const { uid } = await d.mail.send(ana, {
    to: ['ben@kinshasa.lokole.ca'],
    cc: [],
    bcc: [],
    subject: 'x',
    bodyHtml: 'x',
    attachments: [
      { ...(await d.files.putBuffer(html)), filename: 'page.html', type: 'text/html', cid: 'page' },
    ],
  });
  const ben = await d.logIn('ben');
  t.is((await ben.get(`/email/${uid}/cid/page`)).status, 404);
  const download = await ben.get(`/email/${uid}/attachments/0`);
  t.regex(download.headers['content-disposition']!, /^attachment/);
  t.is(download.headers['content-security-policy'], "default-src 'none'");
});

test('opening an email marks it read through a POST; the GET of the read view changes nothing', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  const ben = await d.user('ben');
  const { uid } = await d.mail.send(ana, {
    to: [ben.address],
    cc: [],
    bcc: [],
    subject: 'x',
    bodyHtml: 'x',
    attachments: [],
  });
  const agent = await d.logIn('ben');
  await agent.get(`/email/${uid}`);
  await agent.get(`/email/${uid}/body`);
  t.is(await d.mail.unreadCount(ben.id), 1);
  const token = await d.csrf(agent, '/inbox');
  t.is(
    (await agent.post('/open').type('form').send({ _csrf: token, uid })).headers.location,
    `/email/${uid}`,
  );
  t.is(await d.mail.unreadCount(ben.id), 0);
  await agent.post(`/email/${uid}/unread`).type('form').send({ _csrf: token });
  t.is(await d.mail.unreadCount(ben.id), 1);
});

test('search lists the user’s matching mail', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  const ben = await d.user('ben');
  await d.mail.send(ana, {
    to: [ben.address],
    cc: [],
    bcc: [],
    subject: 'Mbongo ya kelasi',
    bodyHtml: 'x',
    attachments: [],
  });
  const agent = await d.logIn('ben');
  t.regex((await agent.get('/search?q=kelasi')).text, /Mbongo ya kelasi/);
  t.regex((await agent.get('/search?q=zzz')).text, /Nothing found/);
});

test('the directory lists active users with a "write to" link; the news page is public', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  const agent = await d.logIn('ana');
  const page = await agent.get('/users');
  t.regex(page.text, /href="\/compose\?to=ana%40kinshasa.lokole.ca"/);
  const compose = await agent.get('/compose?to=ana%40kinshasa.lokole.ca');
  t.regex(compose.text, /id="to" name="to" value="ana@kinshasa.lokole.ca"/);
  t.regex((await d.anonymous().get('/news')).text, /No news yet/);
});

test('an admin resets a password behind a confirmation and sees it once', async (t) => {
  const d = await createTestDevice(t);
  await d.admin('boss');
  const ana = await d.user('ana');
  const agent = await d.logIn('boss');
  const confirm = await agent.get(`/admin/users/${ana.id}/reset`);
  t.regex(confirm.text, /Yes, reset the password/);
  await t.notThrowsAsync(d.logIn('ana'));
  const token = await d.csrf(agent, '/admin/users');
  const done = await agent.post(`/admin/users/${ana.id}/reset`).type('form').send({ _csrf: token });
  const password = /<code>([a-z0-9]{12})<\/code>/.exec(done.text)?.[1];
  t.truthy(password);
  t.is(done.headers['cache-control'], 'no-store');
  await t.notThrowsAsync(d.logIn('ana', password));
  await t.throwsAsync(d.logIn('ana'));
});

test('an admin cannot suspend or demote themself, and the status page shows the outbox', async (t) => {
  const d = await createTestDevice(t);
  const boss = await d.admin('boss');
  const agent = await d.logIn('boss');
  const token = await d.csrf(agent, '/admin/users');
  await agent.post(`/admin/users/${boss.id}/demote`).type('form').send({ _csrf: token });
  t.regex((await agent.get('/admin/users')).text, /You cannot do this to your own account/);
  await d.mail.send(boss, {
    to: ['x@example.org'],
    cc: [],
    bcc: [],
    subject: 'x',
    bodyHtml: 'x',
    attachments: [],
  });
  const status = await agent.get('/admin/status');
  t.regex(status.text, /Emails waiting to leave<\/dt><dd>1</);
  t.regex(status.text, /Never/);
});
