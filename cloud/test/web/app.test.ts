import test from 'ava';
import request from 'supertest';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud } from '../helpers/cloud.js';

const azurite = useAzurite(test);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

test('every route the app registers is in the OpenAPI document, and every documented operation is registered', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const stack = (cloud.web.app as unknown as { router: { stack: Layer[] } }).router.stack;
  const registered = stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
    )
    .sort();
  const paths = cloud.web.document.paths as Record<string, Record<string, unknown>>;
  const documented = Object.entries(paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
  t.deepEqual(registered, documented);
  t.true(registered.length >= 10);
});

test('the OpenAPI document is served at /api/openapi.json as version 3.1 with schemas for bodies and answers', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const res = await request(cloud.web.app).get('/api/openapi.json');
  t.is(res.status, 200);
  t.is(res.body.openapi, '3.1.0');
  const create = res.body.paths['/api/v2/admin/devices'].post;
  t.is(create.requestBody.content['application/json'].schema.properties.name.type, 'string');
  t.truthy(create.responses['201'].content['application/json'].schema.properties.token);
  t.deepEqual(create['x-roles'], ['admin', 'registrar']);
  t.deepEqual(res.body.paths['/api/v2/admin/devices/{id}'].delete['x-roles'], ['admin']);
});

test('the console at /ui is served from the bundled swagger-ui, pointing at our document, with no CDN', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const page = await request(cloud.web.app).get('/ui/');
  t.is(page.status, 200);
  t.regex(page.text, /swagger-ui-bundle\.js/);
  t.notRegex(page.text, /https?:\/\//);
  const init = await request(cloud.web.app).get('/ui/swagger-initializer.js');
  t.regex(init.text, /\/api\/openapi\.json/);
  const bundle = await request(cloud.web.app).get('/ui/swagger-ui-bundle.js');
  t.is(bundle.status, 200);
  t.true(bundle.text.length > 100_000);
});

test('an unknown path answers 404 with a JSON error', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const res = await request(cloud.web.app).get('/api/v2/nothing');
  t.is(res.status, 404);
  t.is(res.body.error.code, 'NOT_FOUND');
});

test('a body that is not JSON is refused with 400, not 500', async (t) => {
  const { cloud, admin } = await startTestCloud(t, azurite());
  const res = await request(cloud.web.app)
    .post('/api/v2/admin/devices')
    .set('authorization', `Bearer ${admin}`)
    .set('content-type', 'application/json')
    .send('{not json');
  t.is(res.status, 400);
  t.is(res.body.error.code, 'INVALID_INPUT');
});

test('/healthcheck/ping answers OK and /healthz answers ok', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const ping = await request(cloud.web.app).get('/healthcheck/ping');
  t.is(ping.text, 'OK');
  const health = await request(cloud.web.app).get('/healthz');
  t.deepEqual(health.body, { status: 'ok' });
});

test('/readyz answers 200 when the database and blob storage answer', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const res = await request(cloud.web.app).get('/readyz');
  t.is(res.status, 200);
  t.deepEqual(res.body.checks, { database: 'ok', blobs: 'ok' });
});

test('/readyz answers 503 and names blob storage when it is unreachable', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  const { createAzureBlobStore } = await import('../../src/blob/index.js');
  const dead = createAzureBlobStore({
    connectionString: azurite().connectionString.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:9'),
    container: 'x',
  });
  const { createWebApp } = await import('../../src/web/app.js');
  const web = createWebApp({
    devices: cloud.devices,
    tokens: cloud.tokens,
    inbound: cloud.inbound,
    sync: cloud.sync,
    health: {
      checks: { database: () => cloud.store.ping(), blobs: () => dead.ping() },
      figures: () => cloud.store.figures(),
      jobs: () => cloud.queue.counts(),
    },
    log: cloud.log,
    maxMessageBytes: 1000,
    cookieSecure: false,
    version: 'test',
  });
  const res = await request(web.app).get('/readyz');
  t.is(res.status, 503);
  t.is(res.body.checks.database, 'ok');
  t.not(res.body.checks.blobs, 'ok');
});

test('/metrics is Prometheus text with devices, pending mail per device and jobs', async (t) => {
  const { cloud } = await startTestCloud(t, azurite());
  await cloud.devices.register('kinshasa');
  const res = await request(cloud.web.app).get('/metrics');
  t.is(res.status, 200);
  t.regex(res.headers['content-type']!, /^text\/plain; version=0\.0\.4/);
  t.regex(res.text, /^# TYPE lokole_devices gauge$/m);
  t.regex(res.text, /^lokole_devices 1$/m);
  t.regex(res.text, /^lokole_device_pending_emails\{device="kinshasa"\} 0$/m);
  t.regex(res.text, /^lokole_jobs\{state="queued"\} \d+$/m);
});

test('a request log line never contains the bearer token', async (t) => {
  const { Writable } = await import('node:stream');
  const { createLogger } = await import('../../src/log.js');
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  const { cloud, admin } = await startTestCloud(t, azurite());
  const { createWebApp } = await import('../../src/web/app.js');
  const web = createWebApp({
    devices: cloud.devices,
    tokens: cloud.tokens,
    inbound: cloud.inbound,
    sync: cloud.sync,
    health: { checks: {}, figures: () => cloud.store.figures(), jobs: () => cloud.queue.counts() },
    log,
    maxMessageBytes: 1000,
    cookieSecure: false,
    version: 'test',
  });
  await request(web.app).get('/api/v2/admin/devices').set('authorization', `Bearer ${admin}`);
  t.true(lines.length > 0);
  t.false(lines.join('').includes(admin));
  t.true(lines.join('').includes('[redacted]'));
});
