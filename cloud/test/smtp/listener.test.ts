import test from 'ava';
import { useAzurite } from '../helpers/azurite.js';
import { sendRaw, simpleMessage, startTestCloud } from '../helpers/cloud.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

test('mail to an unknown domain is refused with 550 at RCPT TO', async (t) => {
  const c = await startTestCloud(t, azurite());
  await c.cloud.devices.register('kinshasa');
  const error = await t.throwsAsync(
    sendRaw(
      c.smtpPort,
      { from: 'a@example.org', to: ['x@unknown.example.com'] },
      simpleMessage({ to: 'x@unknown.example.com' }),
    ),
  );
  t.is((error as { responseCode?: number }).responseCode, 550);
  t.is(
    await c.cloud
      .knex('inbound_messages')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    0,
  );
});

test('mail to a deleted device is refused with 550', async (t) => {
  const c = await startTestCloud(t, azurite());
  const device = await c.cloud.devices.register('kinshasa');
  await c.cloud.devices.remove(device.id);
  const error = await t.throwsAsync(
    sendRaw(
      c.smtpPort,
      { from: 'a@example.org', to: ['bob@kinshasa.lokole.ca'] },
      simpleMessage({ to: 'bob@kinshasa.lokole.ca' }),
    ),
  );
  t.is((error as { responseCode?: number }).responseCode, 550);
});

test('a message over the size limit is refused with 552 and nothing is stored', async (t) => {
  const c = await startTestCloud(t, azurite(), { MAX_MESSAGE_BYTES: '50000' });
  await c.cloud.devices.register('kinshasa');
  const big = simpleMessage({ to: 'bob@kinshasa.lokole.ca', body: 'x'.repeat(80_000) });
  const error = await t.throwsAsync(
    sendRaw(c.smtpPort, { from: 'a@example.org', to: ['bob@kinshasa.lokole.ca'] }, big),
  );
  t.is((error as { responseCode?: number }).responseCode, 552);
  t.is(Number((await c.cloud.knex('inbound_messages').count({ n: '*' }).first())?.n), 0);
});

test('250 comes only after a small raw message is in the database with its parsing queued', async (t) => {
  const c = await startTestCloud(t, azurite());
  await c.cloud.queue.stop(); // nothing parses, so we see the state at the moment of the 250
  await c.cloud.devices.register('kinshasa');
  const raw = simpleMessage({ to: 'bob@kinshasa.lokole.ca' });
  const { response } = await sendRaw(
    c.smtpPort,
    { from: 'a@example.org', to: ['bob@kinshasa.lokole.ca'] },
    raw,
  );
  t.regex(response, /^250 /);
  const row = (await c.cloud.knex('inbound_messages').first()) as {
    raw: Buffer;
    blob_key: string | null;
    state: string;
  };
  t.is(row.state, 'stored');
  t.is(row.blob_key, null);
  t.is(row.raw.toString(), raw);
  const jobs = (await c.cloud.knex('jobs').select('name')) as Array<{ name: string }>;
  t.deepEqual(
    jobs.map((j) => j.name),
    ['parse-inbound'],
  );
});

test('250 comes only after a large raw message is in blob storage with its parsing queued', async (t) => {
  const c = await startTestCloud(t, azurite());
  await c.cloud.queue.stop();
  await c.cloud.devices.register('kinshasa');
  const raw = simpleMessage({ to: 'bob@kinshasa.lokole.ca', body: 'long line\r\n'.repeat(40_000) });
  const { response } = await sendRaw(
    c.smtpPort,
    { from: 'a@example.org', to: ['bob@kinshasa.lokole.ca'] },
    raw,
  );
  t.regex(response, /^250 /);
  const row = (await c.cloud.knex('inbound_messages').first()) as {
    raw: Buffer | null;
    blob_key: string;
    state: string;
  };
  t.is(row.raw, null);
  const { buffer } = await import('node:stream/consumers');
  t.is((await buffer(await c.cloud.blobs.get(row.blob_key))).toString(), raw);
  t.is(Number((await c.cloud.knex('jobs').count({ n: '*' }).first())?.n), 1);
});

test('mail to a service mailbox is accepted', async (t) => {
  const c = await startTestCloud(t, azurite());
  const { response } = await sendRaw(
    c.smtpPort,
    { from: 'a@example.org', to: ['echo@bot.lokole.ca'] },
    simpleMessage({ to: 'echo@bot.lokole.ca' }),
  );
  t.regex(response, /^250 /);
  await waitFor(
    async () => (await c.cloud.knex('inbound_messages').where('state', 'parsed').first()) as unknown,
    { what: 'parsing' },
  );
  t.pass();
});
