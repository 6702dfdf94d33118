import test from 'ava';
import request from 'supertest';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud, type TestCloud } from '../helpers/cloud.js';

const azurite = useAzurite(test);

async function signIn(c: TestCloud, token: string) {
  const agent = request.agent(c.cloud.web.app);
  const res = await agent.post('/status/login').type('form').send({ token });
  return { agent, res };
}

function csrfOf(html: string): string {
  return /name="csrf" value="([0-9a-f]+)"/.exec(html)![1]!;
}

test('without a session the status page asks for a token', async (t) => {
  const c = await startTestCloud(t, azurite());
  const res = await request(c.cloud.web.app).get('/status');
  t.is(res.status, 200);
  t.regex(res.text, /Admin token/);
  t.regex(res.text, /name="viewport"/);
});

test('a wrong token is refused with 401', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { res } = await signIn(c, 'lka_wrong');
  t.is(res.status, 401);
  t.regex(res.text, /not valid/);
});

test('signing in sets an HttpOnly, SameSite=Strict cookie and shows the devices with their figures', async (t) => {
  const c = await startTestCloud(t, azurite());
  await c.cloud.devices.register('kinshasa');
  const { agent, res } = await signIn(c, c.admin);
  t.is(res.status, 303);
  const cookie = String(res.headers['set-cookie']);
  t.regex(cookie, /HttpOnly/);
  t.regex(cookie, /SameSite=Strict/);
  const page = await agent.get('/status');
  t.regex(page.text, /kinshasa\.lokole\.ca/);
  t.regex(page.text, /never/);
  t.regex(page.text, /0 B/);
});

test('a device registered with the form shows its token once', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { agent } = await signIn(c, c.registrar);
  const page = await agent.get('/status');
  const res = await agent
    .post('/status/devices')
    .type('form')
    .send({ name: 'goma', csrf: csrfOf(page.text) });
  t.is(res.status, 200);
  t.regex(res.text, /lkd_[A-Za-z0-9_-]{43}/);
  t.is((await c.cloud.devices.list())[0]?.name, 'goma');
  t.notRegex((await agent.get('/status')).text, /lkd_/);
});

test('a form without the synchronizer token is refused with 403 and changes nothing', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { agent } = await signIn(c, c.admin);
  const res = await agent.post('/status/devices').type('form').send({ name: 'goma', csrf: 'f00' });
  t.is(res.status, 403);
  t.is((await c.cloud.devices.list()).length, 0);
});

test('an invalid name shows the error on the page', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { agent } = await signIn(c, c.admin);
  const page = await agent.get('/status');
  const res = await agent
    .post('/status/devices')
    .type('form')
    .send({ name: 'Bad Name', csrf: csrfOf(page.text) });
  t.is(res.status, 400);
  t.regex(res.text, /is not valid/);
});

test('an admin deletes a device from the page; a registrar sees no delete button and may not', async (t) => {
  const c = await startTestCloud(t, azurite());
  const device = await c.cloud.devices.register('kinshasa');
  const registrar = await signIn(c, c.registrar);
  const registrarPage = await registrar.agent.get('/status');
  t.notRegex(registrarPage.text, /Delete/);
  const refused = await registrar.agent
    .post(`/status/devices/${device.id}/delete`)
    .type('form')
    .send({ csrf: csrfOf(registrarPage.text) });
  t.is(refused.status, 403);
  t.is((await c.cloud.devices.list()).length, 1);
  const admin = await signIn(c, c.admin);
  const adminPage = await admin.agent.get('/status');
  const res = await admin.agent
    .post(`/status/devices/${device.id}/delete`)
    .type('form')
    .send({ csrf: csrfOf(adminPage.text) });
  t.is(res.status, 303);
  t.is((await c.cloud.devices.list()).length, 0);
});

test('signing out clears the cookie', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { agent } = await signIn(c, c.admin);
  await agent.post('/status/logout');
  t.regex((await agent.get('/status')).text, /Admin token/);
});
