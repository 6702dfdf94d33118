import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import test from 'ava';
import type { Email } from '@lokole/protocol';
import { attachmentKey } from '../../src/mail/index.js';
import { useAzurite } from '../helpers/azurite.js';
import { sendRaw, simpleMessage, startTestCloud, type TestCloud } from '../helpers/cloud.js';
import { htmlWithInlineImage } from '../helpers/mime.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

async function pendingFor(c: TestCloud, deviceId: string): Promise<string[]> {
  const rows = (await c.cloud
    .knex('device_emails')
    .where('device_id', deviceId)
    .select('email_id')) as Array<{ email_id: string }>;
  return rows.map((r) => r.email_id);
}

async function parsed(c: TestCloud, count: number): Promise<void> {
  await waitFor(
    async () =>
      Number(
        (await c.cloud.knex('inbound_messages').where('state', 'parsed').count({ n: '*' }).first())?.n,
      ) >= count,
    { what: `${count} parsed messages` },
  );
}

test('a message is stored once under the sha256 of its bytes and queued for each addressed device', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const other = await c.cloud.devices.register('other');
  const third = await c.cloud.devices.register('third');
  const raw = htmlWithInlineImage();
  await sendRaw(
    c.smtpPort,
    { from: 'ana@example.org', to: ['bob@kin.lokole.ca', 'carol@other.lokole.ca'] },
    raw,
  );
  await parsed(c, 1);
  const uid = createHash('sha256').update(raw).digest('hex');
  t.deepEqual(await pendingFor(c, kin.id), [uid]);
  t.deepEqual(await pendingFor(c, other.id), [uid]);
  t.deepEqual(await pendingFor(c, third.id), []);
  const stored = (await c.cloud.store.findEmail(uid))!.email;
  t.is(stored.from, 'ana@example.org');
  t.true(stored.body.includes('cid:logo@x'));
  for (const attachment of stored.attachments) {
    const bytes = await buffer(await c.cloud.blobs.get(attachmentKey(attachment.sha256)));
    t.is(createHash('sha256').update(bytes).digest('hex'), attachment.sha256);
  }
});

test('the same message received twice is stored once and queued once per device', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const raw = simpleMessage({ to: 'bob@kin.lokole.ca' });
  await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] }, raw);
  await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] }, raw);
  await parsed(c, 2);
  t.is((await pendingFor(c, kin.id)).length, 1);
  t.is(Number((await c.cloud.knex('emails').count({ n: '*' }).first())?.n), 1);
});

test('a message delivered twice with different envelopes reaches each device once', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const other = await c.cloud.devices.register('other');
  const raw = simpleMessage({ to: 'bob@kin.lokole.ca, carol@other.lokole.ca' });
  await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] }, raw);
  await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['carol@other.lokole.ca'] }, raw);
  await parsed(c, 2);
  t.is((await pendingFor(c, kin.id)).length, 1);
  t.is((await pendingFor(c, other.id)).length, 1);
});

test('a Bcc recipient (only in the envelope) gets the mail, and the stored email names no Bcc', async (t) => {
  const c = await startTestCloud(t, azurite());
  const hidden = await c.cloud.devices.register('hidden');
  const raw = simpleMessage({ to: 'someone@example.com' });
  await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['boss@hidden.lokole.ca'] }, raw);
  await parsed(c, 1);
  const [uid] = await pendingFor(c, hidden.id);
  t.truthy(uid);
  const email = (await c.cloud.store.findEmail(uid!))!.email as Email;
  t.deepEqual(email.bcc, []);
});

test('parsing the same stored message again changes nothing', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  await sendRaw(
    c.smtpPort,
    { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] },
    simpleMessage({ to: 'bob@kin.lokole.ca' }),
  );
  await parsed(c, 1);
  const row = (await c.cloud.knex('inbound_messages').first()) as { id: string };
  await c.cloud.inbound.process(row.id);
  await c.cloud.inbound.process(row.id);
  t.is((await pendingFor(c, kin.id)).length, 1);
  t.is(Number((await c.cloud.knex('emails').count({ n: '*' }).first())?.n), 1);
});

test('a 25 MB message is received, stored and parsed with its attachment intact', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const payload = Buffer.alloc(18 * 1024 * 1024);
  for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE((i * 2654435761) >>> 0, i);
  const base64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = [
    'From: ana@example.org',
    'To: bob@kin.lokole.ca',
    'Subject: big',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'a big file',
    '--b',
    'Content-Type: application/octet-stream; name="big.bin"',
    'Content-Disposition: attachment; filename="big.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    base64,
    '--b--',
    '',
  ].join('\r\n');
  t.true(raw.length > 24 * 1024 * 1024);
  const { response } = await sendRaw(c.smtpPort, { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] }, raw);
  t.regex(response, /^250 /);
  await waitFor(async () => (await pendingFor(c, kin.id)).length === 1, {
    timeoutMs: 60_000,
    what: 'the big message',
  });
  const [uid] = await pendingFor(c, kin.id);
  const ref = (await c.cloud.store.findEmail(uid!))!.email.attachments[0]!;
  t.is(ref.size, payload.length);
  t.is(ref.sha256, createHash('sha256').update(payload).digest('hex'));
});

test('mail between two Lokoles arriving by SMTP is routed inside the cloud, nothing is sent out', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  await sendRaw(
    c.smtpPort,
    { from: 'carol@other.lokole.ca', to: ['bob@kin.lokole.ca'] },
    simpleMessage({ from: 'carol@other.lokole.ca', to: 'bob@kin.lokole.ca' }),
  );
  await parsed(c, 1);
  t.is((await pendingFor(c, kin.id)).length, 1);
  t.is(Number((await c.cloud.knex('outbound_messages').count({ n: '*' }).first())?.n), 0);
});
