import test from 'ava';
import request from 'supertest';
import { useAzurite } from '../../helpers/azurite.js';
import { startTestCloud, type TestCloud } from '../../helpers/cloud.js';

const azurite = useAzurite(test);

type Who = 'admin' | 'registrar' | 'bad token' | 'no token';
const WHO: Who[] = ['admin', 'registrar', 'bad token', 'no token'];

function auth(cloud: TestCloud, who: Who): Record<string, string> {
  if (who === 'no token') return {};
  const token =
    who === 'admin' ? cloud.admin : who === 'registrar' ? cloud.registrar : 'lka_not-a-real-token';
  return { authorization: `Bearer ${token}` };
}

async function register(cloud: TestCloud, name: string): Promise<{ id: string; token: string }> {
  const res = await request(cloud.cloud.web.app)
    .post('/api/v2/admin/devices')
    .set(auth(cloud, 'admin'))
    .send({ name });
  return res.body as { id: string; token: string };
}

// What each role gets from each endpoint; a bad or missing token is always 401.
const MATRIX: Array<{
  name: string;
  call: (c: TestCloud, id: string) => request.Test;
  expect: Record<'admin' | 'registrar', number>;
}> = [
  {
    name: 'POST /api/v2/admin/devices',
    call: (c) =>
      request(c.cloud.web.app)
        .post('/api/v2/admin/devices')
        .send({ name: `d${Math.random().toString(36).slice(2, 10)}` }),
    expect: { admin: 201, registrar: 201 },
  },
  {
    name: 'GET /api/v2/admin/devices',
    call: (c) => request(c.cloud.web.app).get('/api/v2/admin/devices'),
    expect: { admin: 200, registrar: 200 },
  },
  {
    name: 'GET /api/v2/admin/devices/{id}',
    call: (c, id) => request(c.cloud.web.app).get(`/api/v2/admin/devices/${id}`),
    expect: { admin: 200, registrar: 200 },
  },
  {
    name: 'POST /api/v2/admin/devices/{id}/token',
    call: (c, id) => request(c.cloud.web.app).post(`/api/v2/admin/devices/${id}/token`),
    expect: { admin: 200, registrar: 403 },
  },
  {
    name: 'DELETE /api/v2/admin/devices/{id}',
    call: (c, id) => request(c.cloud.web.app).delete(`/api/v2/admin/devices/${id}`),
    expect: { admin: 204, registrar: 403 },
  },
];

for (const endpoint of MATRIX) {
  for (const who of WHO) {
    const status = who === 'admin' || who === 'registrar' ? endpoint.expect[who] : 401;
    test(`${endpoint.name} answers ${status} to ${who === 'admin' || who === 'registrar' ? (who === 'admin' ? 'an admin' : 'a registrar') : who === 'bad token' ? 'a bad token' : 'no token'}`, async (t) => {
      const cloud = await startTestCloud(t, azurite());
      const { id } = await register(cloud, 'kinshasa');
      const res = await endpoint.call(cloud, id).set(auth(cloud, who));
      t.is(res.status, status, JSON.stringify(res.body));
      if (status >= 400) {
        t.is(res.body.error.code, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
      }
    });
  }
}

test('registration answers the id, the domain under the root domain and a device token once', async (t) => {
  const cloud = await startTestCloud(t, azurite(), { LOKOLE_ROOT_DOMAIN: 'example.net' });
  const res = await request(cloud.cloud.web.app)
    .post('/api/v2/admin/devices')
    .set(auth(cloud, 'registrar'))
    .send({ name: 'goma-2' });
  t.is(res.status, 201);
  t.regex(res.body.id, /^[0-9a-f-]{36}$/);
  t.is(res.body.domain, 'goma-2.example.net');
  t.regex(res.body.token, /^lkd_[A-Za-z0-9_-]{43}$/);
  const listed = await request(cloud.cloud.web.app).get('/api/v2/admin/devices').set(auth(cloud, 'admin'));
  t.false(JSON.stringify(listed.body).includes(res.body.token));
  t.deepEqual(await cloud.cloud.devices.authenticate(res.body.token), {
    id: res.body.id,
    name: 'goma-2',
    domain: 'goma-2.example.net',
    createdAt: res.body.created_at,
    lastSyncAt: null,
  });
});

test('the device token is stored only as its sha256', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const { token } = await register(cloud, 'kinshasa');
  const rows = (await cloud.cloud.knex('devices').select('token_hash')) as Array<{ token_hash: string }>;
  t.regex(rows[0]!.token_hash, /^[0-9a-f]{64}$/);
  t.false(JSON.stringify(rows).includes(token));
});

test('a taken name is refused with 409', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  await register(cloud, 'kinshasa');
  const res = await request(cloud.cloud.web.app)
    .post('/api/v2/admin/devices')
    .set(auth(cloud, 'admin'))
    .send({ name: 'kinshasa' });
  t.is(res.status, 409);
  t.is(res.body.error.code, 'CONFLICT');
  t.regex(res.body.error.message, /kinshasa/);
});

for (const name of ['K', 'Kinshasa', '-abc', 'abc-', 'a_b', 'x'.repeat(41), 'www', 'admin', 'mail']) {
  test(`the invalid or reserved name ${JSON.stringify(name)} is refused with 400`, async (t) => {
    const cloud = await startTestCloud(t, azurite());
    const res = await request(cloud.cloud.web.app)
      .post('/api/v2/admin/devices')
      .set(auth(cloud, 'admin'))
      .send({ name });
    t.is(res.status, 400);
    t.is(res.body.error.code, 'INVALID_INPUT');
  });
}

test('a body that is not {"name"} is refused with 400 naming the field', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const res = await request(cloud.cloud.web.app)
    .post('/api/v2/admin/devices')
    .set(auth(cloud, 'admin'))
    .send({ name: 5 });
  t.is(res.status, 400);
  t.regex(res.body.error.message, /name/);
});

test('an id that is not a UUID is refused with 400 and an unknown one is 404', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const bad = await request(cloud.cloud.web.app).get('/api/v2/admin/devices/nope').set(auth(cloud, 'admin'));
  t.is(bad.status, 400);
  const unknown = await request(cloud.cloud.web.app)
    .get('/api/v2/admin/devices/00000000-0000-4000-8000-000000000000')
    .set(auth(cloud, 'admin'));
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'NOT_FOUND');
});

test('rotating the token makes the old one stop working and the new one work', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const { id, token } = await register(cloud, 'kinshasa');
  const res = await request(cloud.cloud.web.app)
    .post(`/api/v2/admin/devices/${id}/token`)
    .set(auth(cloud, 'admin'));
  t.is(res.status, 200);
  t.not(res.body.token, token);
  t.is(await cloud.cloud.devices.authenticate(token), undefined);
  t.is((await cloud.cloud.devices.authenticate(res.body.token))?.id, id);
});

test('deleting a device removes it and its pending mail; a second delete is 404', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const { id } = await register(cloud, 'kinshasa');
  const app = cloud.cloud.web.app;
  t.is((await request(app).delete(`/api/v2/admin/devices/${id}`).set(auth(cloud, 'admin'))).status, 204);
  t.is((await request(app).get(`/api/v2/admin/devices/${id}`).set(auth(cloud, 'admin'))).status, 404);
  t.is((await request(app).delete(`/api/v2/admin/devices/${id}`).set(auth(cloud, 'admin'))).status, 404);
});

test('a device shows pending emails, users, last sync, bytes per sync and emails per day', async (t) => {
  const cloud = await startTestCloud(t, azurite());
  const { id } = await register(cloud, 'kinshasa');
  const k = cloud.cloud.knex;
  await k('device_users').insert([
    { device_id: id, address: 'a@kinshasa.lokole.ca', created_at: '2026-12-01T00:00:00Z' },
    { device_id: id, address: 'b@kinshasa.lokole.ca', created_at: '2026-12-01T00:00:00Z' },
  ]);
  await k('device_syncs').insert({
    device_id: id,
    at: '2026-12-01T03:00:00.000Z',
    bytes_up: 1000,
    bytes_down: 5000,
    emails_up: 1,
    emails_down: 2,
  });
  await k('devices').where('id', id).update({ last_sync_at: '2026-12-01T03:00:00.000Z' });
  const today = new Date().toISOString();
  await k('emails').insert([
    {
      id: 'e1',
      email: '{}',
      origin: 'inbound',
      device_id: null,
      size: 1,
      created_at: today,
      created_day: today.slice(0, 10),
    },
    {
      id: 'e2',
      email: '{}',
      origin: 'device',
      device_id: id,
      size: 1,
      created_at: today,
      created_day: today.slice(0, 10),
    },
  ]);
  await k('device_emails').insert({
    device_id: id,
    email_id: 'e1',
    state: 'pending',
    queued_at: today,
    queued_day: today.slice(0, 10),
  });
  const res = await request(cloud.cloud.web.app)
    .get(`/api/v2/admin/devices/${id}`)
    .set(auth(cloud, 'registrar'));
  t.is(res.status, 200);
  t.like(res.body, {
    pending_emails: 1,
    users: 2,
    last_sync_at: '2026-12-01T03:00:00.000Z',
    data_bytes: 6000,
  });
  t.deepEqual(res.body.stats.syncs, [
    { at: '2026-12-01T03:00:00.000Z', bytes_up: 1000, bytes_down: 5000, emails_up: 1, emails_down: 2 },
  ]);
  t.deepEqual(res.body.stats.days, [{ day: today.slice(0, 10), emails_in: 1, emails_out: 1 }]);
});
