import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { fakeModemOpener } from '../modem/fake-modem.js';
import { createTestDevice } from '../helpers/web.js';

const ROUTES = [
  ['GET', '/admin/diagnostics'],
  ['GET', '/admin/diagnostics/signal.json'],
  ['POST', '/admin/diagnostics/ussd'],
  ['POST', '/admin/diagnostics/test-connection'],
] as const;

async function deviceWith(t: Parameters<typeof createTestDevice>[0], state: 'no-sim' | 'ussd-gsm7') {
  const modem = fakeModemOpener(state);
  const d = await createTestDevice(
    t,
    { LOKOLE_MODEM_PORT: '/dev/ttyFAKE' },
    { openModemTransport: modem.openTransport },
  );
  await d.admin('boss');
  return d;
}

test('only admins reach the diagnostics: others are sent to log in or refused', async (t) => {
  const d = await deviceWith(t, 'no-sim');
  await d.user('ana');
  const agents = { anonymous: d.anonymous(), user: await d.logIn('ana') };
  for (const [method, route] of ROUTES) {
    for (const [caller, agent] of Object.entries(agents)) {
      const token = await d.csrf(agent, '/news');
      const response =
        method === 'GET'
          ? await agent.get(route)
          : await agent.post(route).type('form').send({ _csrf: token });
      if (caller === 'anonymous') {
        t.is(response.status, 303, `${method} ${route} as ${caller}`);
        t.regex(String(response.headers.location), /^\/login/);
      } else {
        t.is(response.status, 403, `${method} ${route} as ${caller}`);
      }
    }
  }
});

test('without a SIM the page says what to do, and shows the modem and system panels', async (t) => {
  const d = await deviceWith(t, 'no-sim');
  const admin = await d.logIn('boss');
  const response = await admin.get('/admin/diagnostics');
  t.is(response.status, 200);
  t.regex(response.text, /No SIM card detected: check that the SIM is inserted the right way up/);
  t.regex(response.text, /358999000000001/); // the IMEI still reads
  t.regex(response.text, /E303/);
  t.regex(response.text, /CPU temperature/);
  t.regex(response.text, /Last syncs/);
  const signal = await admin.get('/admin/diagnostics/signal.json');
  t.is(signal.status, 200);
  t.like(signal.body, { bars: 3, dbm: '-83 dBm', barsText: '3 of 4' });
});

test("a balance check needs the form token, and shows the network's answer", async (t) => {
  const d = await deviceWith(t, 'ussd-gsm7');
  const admin = await d.logIn('boss');
  const refused = await admin.post('/admin/diagnostics/ussd').type('form').send({ code: '*123#' });
  t.is(refused.status, 403);
  const token = await d.csrf(admin, '/admin/diagnostics');
  const answered = await admin
    .post('/admin/diagnostics/ussd')
    .type('form')
    .send({ _csrf: token, code: '*123#' });
  t.is(answered.status, 200);
  t.regex(answered.text, /Solde: 1250 FC\. Valable 30 jours/);
  const bad = await admin.post('/admin/diagnostics/ussd').type('form').send({ _csrf: token, code: '123' });
  t.is(bad.status, 400);
  t.regex(bad.text, /is not a USSD code/);
});

test('testing the connection of a local-only Lokole says that it never connects', async (t) => {
  const d = await deviceWith(t, 'no-sim');
  await writeFile(path.join(d.dir, 'config.json'), JSON.stringify({ version: 2, link: 'none' }));
  const admin = await d.logIn('boss');
  const token = await d.csrf(admin, '/admin/diagnostics');
  const response = await admin.post('/admin/diagnostics/test-connection').type('form').send({ _csrf: token });
  t.is(response.status, 200);
  t.regex(response.text, /set to local only, so it never connects to the internet/);
});

test('testing an ethernet connection reaches the cloud health endpoint and reports each step', async (t) => {
  const requested: string[] = [];
  const fakeFetch: typeof fetch = (input) => {
    requested.push(String(input));
    return Promise.resolve(new Response('pong', { status: 200 }));
  };
  const d = await createTestDevice(t, { LOKOLE_MODEM_PORT: '/dev/ttyFAKE' }, { fetch: fakeFetch });
  await d.admin('boss');
  await writeFile(
    path.join(d.dir, 'config.json'),
    JSON.stringify({ version: 2, link: 'ethernet', cloud: { url: 'https://cloud.example.org' } }),
  );
  const admin = await d.logIn('boss');
  const token = await d.csrf(admin, '/admin/diagnostics');
  const response = await admin.post('/admin/diagnostics/test-connection').type('form').send({ _csrf: token });
  t.is(response.status, 200);
  t.deepEqual(requested, ['https://cloud.example.org/healthcheck/ping']);
  t.regex(response.text, /The cloud answered: this Lokole can sync\./);
  t.regex(response.text, /Reach the cloud[\s\S]*4 B in, 0 B out/);
  t.regex(response.text, /Hang up/);
});

test('the balance check offers the code from the device settings, which may differ per operator', async (t) => {
  const d = await deviceWith(t, 'ussd-gsm7');
  const admin = await d.logIn('boss');
  t.regex((await admin.get('/admin/diagnostics')).text, /name="code" value="\*123#"/);
  await writeFile(
    path.join(d.dir, 'config.json'),
    JSON.stringify({
      version: 2,
      modem: {
        port: null,
        carrier: null,
        apn: null,
        username: '',
        password: '',
        phone: '*99#',
        balanceCode: '*144#',
      },
    }),
  );
  t.regex((await admin.get('/admin/diagnostics')).text, /name="code" value="\*144#"/);
});
