import test from 'ava';
import bcrypt from 'bcryptjs';
import { createTestDevice } from '../helpers/web.js';

test('sign-up makes name@device, signs in, and a welcome email is in the new inbox', async (t) => {
  const d = await createTestDevice(t);
  const agent = d.anonymous();
  const token = await d.csrf(agent, '/signup');
  const response = await agent
    .post('/signup')
    .type('form')
    .send({ _csrf: token, name: 'Mama.Ngozi', password: 'long enough', confirm: 'long enough' });
  t.is(response.status, 303);
  const inbox = await agent.get('/inbox');
  t.regex(inbox.text, /mama\.ngozi@kinshasa\.lokole\.ca/);
  t.regex(inbox.text, /Welcome to Lokole/);
});

test('sign-up refuses bad names with a message for each rule', async (t) => {
  const d = await createTestDevice(t);
  await d.user('taken');
  const agent = d.anonymous();
  const token = await d.csrf(agent, '/signup');
  const cases: [Record<string, string>, RegExp][] = [
    [{ name: 'admin' }, /The name admin is reserved/],
    [{ name: 'postmaster' }, /The name postmaster is reserved/],
    [{ name: 'taken' }, /The name taken is already taken/],
    [{ name: 'a b' }, /only have letters a to z, digits, dots and dashes/],
    [{ name: '.dot' }, /cannot start or end with a dot or a dash/],
    [{ name: '' }, /Choose a name/],
    [{ name: 'x'.repeat(65) }, /at most 64 characters/],
    [{ name: 'fine', password: 'short', confirm: 'short' }, /at least 8 characters/],
    [{ name: 'fine', confirm: 'different!' }, /The two passwords are not the same/],
  ];
  for (const [form, message] of cases) {
    const response = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: token, password: 'long enough', confirm: 'long enough', ...form });
    t.is(response.status, 400, JSON.stringify(form));
    t.regex(response.text, message);
  }
});

test('log-in works with the name or the full address, and a wrong password says so with 401', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  await t.notThrowsAsync(d.logIn('ana'));
  await t.notThrowsAsync(d.logIn('ANA@kinshasa.lokole.ca'));
  const agent = d.anonymous();
  const token = await d.csrf(agent);
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, name: 'ana', password: 'nope' });
  t.is(response.status, 401);
  t.regex(response.text, /Wrong name or password/);
});

test('a bcrypt hash from the original Lokole logs in and is re-hashed with argon2id', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  await d
    .db('users')
    .where({ id: ana.id })
    .update({ password_hash: bcrypt.hashSync('old secret', 10).replace('$2a$', '$2b$') });
  await d.logIn('ana', 'old secret');
  const row = await d.db('users').where({ id: ana.id }).first();
  t.regex(row.password_hash, /^\$argon2id\$/);
  await t.notThrowsAsync(d.logIn('ana', 'old secret'));
});

test('the sixth failed log-in in 15 minutes for one name is refused with 429', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  const agent = d.anonymous();
  const token = await d.csrf(agent);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, name: 'ana', password: 'guess' + i });
    statuses.push(response.status);
  }
  t.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  const last = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, name: 'ana', password: 'correct horse' });
  t.is(last.status, 429);
  t.regex(last.text, /Too many attempts/);
  // Another name from the same address is not blocked.
  await d.user('ben');
  await t.notThrowsAsync(d.logIn('ben'));
});

test('sign-ups are limited per address', async (t) => {
  const d = await createTestDevice(t, {}, { rateLimits: { signUps: 2 } });
  const statuses: number[] = [];
  for (const name of ['one', 'two', 'three']) {
    const agent = d.anonymous();
    const token = await d.csrf(agent, '/signup');
    const response = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: token, name, password: 'long enough', confirm: 'long enough' });
    statuses.push(response.status);
  }
  t.deepEqual(statuses, [303, 303, 429]);
});

test('a suspended user cannot log in and is told why', async (t) => {
  const d = await createTestDevice(t);
  const boss = await d.admin('boss');
  const ana = await d.user('ana');
  await d.accounts.suspend(boss.id, ana.id);
  const agent = d.anonymous();
  const token = await d.csrf(agent);
  const response = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: token, name: 'ana', password: 'correct horse' });
  t.is(response.status, 403);
  t.regex(response.text, /suspended/);
});

test('a form without its CSRF token changes nothing and answers 403', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  const agent = await d.logIn('ana');
  for (const path of ['/password', '/language', '/logout', '/open', '/compose']) {
    const response = await agent
      .post(path)
      .type('form')
      .send({ current: 'correct horse', password: 'new password', confirm: 'new password', language: 'fr' });
    t.is(response.status, 403, path);
  }
  t.is((await d.accounts.activeUser(ana.id))?.language, null);
  await t.notThrowsAsync(d.logIn('ana'));
});

test('changing the password needs the current one', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  const agent = await d.logIn('ana');
  const token = await d.csrf(agent, '/password');
  const wrong = await agent
    .post('/password')
    .type('form')
    .send({ _csrf: token, current: 'bad', password: 'new password', confirm: 'new password' });
  t.regex(wrong.text, /current password is not right/);
  const ok = await agent
    .post('/password')
    .type('form')
    .send({ _csrf: token, current: 'correct horse', password: 'new password', confirm: 'new password' });
  t.is(ok.status, 303);
  await t.notThrowsAsync(d.logIn('ana', 'new password'));
});

test('log-out ends the session', async (t) => {
  const d = await createTestDevice(t);
  await d.user('ana');
  const agent = await d.logIn('ana');
  const token = await d.csrf(agent, '/inbox');
  t.is((await agent.post('/logout').type('form').send({ _csrf: token })).status, 303);
  t.is((await agent.get('/inbox')).status, 303);
});

test('the language comes from the browser, then the session choice, and is saved for the user', async (t) => {
  const d = await createTestDevice(t);
  const ana = await d.user('ana');
  const anonymous = d.anonymous();
  t.regex((await anonymous.get('/login').set('Accept-Language', 'fr-CD,fr;q=0.9')).text, /<html lang="fr">/);
  const agent = await d.logIn('ana');
  const token = await d.csrf(agent, '/inbox');
  t.is(
    (await agent.post('/language').type('form').send({ _csrf: token, language: 'sw', next: '/inbox' }))
      .headers.location,
    '/inbox',
  );
  t.regex((await agent.get('/inbox')).text, /<html lang="sw">/);
  t.is((await d.accounts.activeUser(ana.id))?.language, 'sw');
  const again = await d.logIn('ana');
  t.regex((await again.get('/inbox').set('Accept-Language', 'fr')).text, /<html lang="sw">/);
  const bad = await agent.post('/language').type('form').send({ _csrf: token, language: 'xx' });
  t.is(bad.status, 400);
});

test('app pages carry the CSP of stack.md and no HSTS on the plain-HTTP hotspot', async (t) => {
  const d = await createTestDevice(t);
  const response = await d.anonymous().get('/login');
  t.regex(
    response.headers['content-security-policy']!,
    /default-src 'self';script-src 'self';img-src 'self' data:;style-src 'self' 'unsafe-inline';frame-src 'self';form-action 'self'/,
  );
  t.is(response.headers['strict-transport-security'], undefined);
  t.regex(response.headers['set-cookie']?.[0] ?? '', /HttpOnly; SameSite=Lax/);
});
