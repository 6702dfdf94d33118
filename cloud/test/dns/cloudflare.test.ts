import test from 'ava';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud } from '../helpers/cloud.js';
import { startFakeHttp } from '../helpers/fake-http.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

interface DnsRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  priority: number;
}

/** Cloudflare API v4's dns_records endpoints, as far as we use them. */
async function fakeCloudflare(token: string) {
  const records: DnsRecord[] = [];
  let next = 1;
  const server = await startFakeHttp((req, res) => {
    const reply = (status: number, result: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          success: status < 300,
          errors: status < 300 ? [] : [{ code: 10000, message: 'Authentication error' }],
          result,
        }),
      );
    if (req.headers.authorization !== `Bearer ${token}`) return reply(403, null);
    const url = new URL(req.url, 'http://x');
    const match = /^\/client\/v4\/zones\/zone-1\/dns_records(?:\/(\w+))?$/.exec(url.pathname);
    if (!match) return reply(404, null);
    if (req.method === 'GET') {
      return reply(
        200,
        records.filter(
          (r) => r.type === url.searchParams.get('type') && r.name === url.searchParams.get('name'),
        ),
      );
    }
    if (req.method === 'POST') {
      const record = { id: `r${next++}`, ...(JSON.parse(req.body) as Omit<DnsRecord, 'id'>) };
      records.push(record);
      return reply(200, record);
    }
    if (req.method === 'DELETE') {
      const index = records.findIndex((r) => r.id === match[1]);
      if (index >= 0) records.splice(index, 1);
      return reply(200, { id: match[1] });
    }
    return reply(405, null);
  });
  return { server, records };
}

test('registering a device creates its MX record and deleting it removes the record', async (t) => {
  const { server, records } = await fakeCloudflare('cf-token');
  t.teardown(() => server.close());
  const c = await startTestCloud(t, azurite(), {
    CLOUDFLARE_API_TOKEN: 'cf-token',
    CLOUDFLARE_ZONE_ID: 'zone-1',
    CLOUDFLARE_API_URL: `${server.url}/client/v4`,
    MX_HOST: 'mx.lokole.ca',
  });
  const device = await c.cloud.devices.register('kinshasa');
  await waitFor(() => records.length === 1, { what: 'the MX record' });
  t.like(records[0], { type: 'MX', name: 'kinshasa.lokole.ca', content: 'mx.lokole.ca', priority: 10 });
  await c.cloud.devices.remove(device.id);
  await waitFor(() => records.length === 0, { what: 'the MX record to go' });
  t.pass();
});

test('without Cloudflare credentials registration enqueues no DNS job', async (t) => {
  const c = await startTestCloud(t, azurite());
  await c.cloud.queue.stop();
  await c.cloud.devices.register('kinshasa');
  t.is(Number((await c.cloud.knex('jobs').count({ n: '*' }).first())?.n), 0);
});

test('a refused Cloudflare token fails the DNS job with a message naming the variables', async (t) => {
  const { server } = await fakeCloudflare('right-token');
  t.teardown(() => server.close());
  const { createCloudflareDns } = await import('../../src/dns/cloudflare.js');
  const dns = createCloudflareDns({
    apiUrl: `${server.url}/client/v4`,
    apiToken: 'wrong',
    zoneId: 'zone-1',
    mxHost: 'mx.lokole.ca',
  });
  const error = await t.throwsAsync(dns.addMx('kinshasa.lokole.ca'));
  t.regex(error!.message, /CLOUDFLARE_API_TOKEN/);
});
