import { createHash, generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { simpleParser } from 'mailparser';
import type { Email } from '@lokole/protocol';
import { attachmentKey } from '../../src/mail/index.js';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud, type TestCloud } from '../helpers/cloud.js';
import { startFakeHttp } from '../helpers/fake-http.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

async function sinkCloud(t: Parameters<typeof startTestCloud>[0], env: Record<string, string> = {}) {
  const sink = await startSmtpSink();
  t.teardown(() => sink.close());
  const c = await startTestCloud(t, azurite(), { SMTP_RELAY_URL: sink.url, ...env });
  return { c, sink };
}

async function withAttachment(c: TestCloud, content: string) {
  const bytes = Buffer.from(content);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await c.cloud.blobs.put(attachmentKey(sha256), bytes);
  return { filename: 'notes.txt', type: 'text/plain', size: bytes.length, sha256 };
}

function email(fields: Partial<Email> & Pick<Email, '_uid' | 'from'>): Email {
  return {
    sent_at: '2026-12-01 10:00',
    to: [],
    cc: [],
    bcc: [],
    subject: 'Hi',
    body: '<p>Hello</p>',
    attachments: [],
    ...fields,
  };
}

async function reports(c: TestCloud, emailId: string): Promise<Array<{ status: string; detail: string }>> {
  return (await c.cloud.knex('delivery_reports').where('email_id', emailId).orderBy('status')) as Array<{
    status: string;
    detail: string;
  }>;
}

test('mail to the internet goes through the relay from the user’s real address, with a sent report', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const device = await c.cloud.devices.register('kin');
  const attachment = await withAttachment(c, 'the notes');
  const result = await c.cloud.outbox.submit(
    email({ _uid: 'u-1', from: 'bob@kin.lokole.ca', to: ['ana@example.org'], attachments: [attachment] }),
    { deviceId: device.id, origin: 'device' },
  );
  t.deepEqual(result, { devices: 0, external: 1, unknown: 0 });
  await waitFor(() => sink.messages.length === 1, { what: 'the relayed message' });
  const message = sink.messages[0]!;
  t.is(message.from, 'bob@kin.lokole.ca');
  t.deepEqual(message.to, ['ana@example.org']);
  const parsed = await simpleParser(message.raw);
  t.is(parsed.from?.value[0]?.address, 'bob@kin.lokole.ca');
  t.is(parsed.headers.get('reply-to'), undefined);
  t.is(parsed.messageId, '<u-1@kin.lokole.ca>');
  t.is(parsed.attachments[0]?.content.toString(), 'the notes');
  await waitFor(async () => (await reports(c, 'u-1')).length === 1, { what: 'the report' });
  t.like((await reports(c, 'u-1'))[0], { status: 'sent' });
});

test('Bcc recipients are in the envelope only, never in a header', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const device = await c.cloud.devices.register('kin');
  await c.cloud.outbox.submit(
    email({ _uid: 'u-bcc', from: 'bob@kin.lokole.ca', to: ['ana@example.org'], bcc: ['secret@example.net'] }),
    { deviceId: device.id, origin: 'device' },
  );
  await waitFor(() => sink.messages.length === 1);
  t.deepEqual(sink.messages[0]!.to.sort(), ['ana@example.org', 'secret@example.net']);
  t.false(sink.messages[0]!.raw.toString().toLowerCase().includes('secret@example.net'));
});

test('mail to another Lokole is queued for that device and never sent out; mixed recipients split', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  const goma = await c.cloud.devices.register('goma');
  const result = await c.cloud.outbox.submit(
    email({
      _uid: 'u-mixed',
      from: 'bob@kin.lokole.ca',
      to: ['carol@goma.lokole.ca', 'ana@example.org'],
      bcc: ['dan@goma.lokole.ca'],
    }),
    { deviceId: kin.id, origin: 'device' },
  );
  t.deepEqual(result, { devices: 1, external: 1, unknown: 0 });
  await waitFor(() => sink.messages.length === 1);
  t.deepEqual(sink.messages[0]!.to, ['ana@example.org']);
  const pending = (await c.cloud.knex('device_emails').where('device_id', goma.id)) as Array<{
    email_id: string;
  }>;
  t.deepEqual(
    pending.map((p) => p.email_id),
    ['u-mixed'],
  );
  t.deepEqual(
    (await c.cloud.store.findEmail('u-mixed'))!.email.bcc,
    [],
    'the copy other devices get names no Bcc',
  );
});

test('mail only between Lokoles reaches no relay at all', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  await c.cloud.devices.register('goma');
  await c.cloud.outbox.submit(
    email({ _uid: 'u-local', from: 'bob@kin.lokole.ca', to: ['carol@goma.lokole.ca'] }),
    {
      deviceId: kin.id,
      origin: 'device',
    },
  );
  t.is(Number((await c.cloud.knex('outbound_messages').count({ n: '*' }).first())?.n), 0);
  t.is(sink.messages.length, 0);
});

test('an address at a Lokole domain that no device has bounces at once', async (t) => {
  const { c } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  const result = await c.cloud.outbox.submit(
    email({ _uid: 'u-gone', from: 'bob@kin.lokole.ca', to: ['x@gone.lokole.ca'] }),
    {
      deviceId: kin.id,
      origin: 'device',
    },
  );
  t.is(result.unknown, 1);
  const [report] = await reports(c, 'u-gone');
  t.is(report?.status, 'bounced');
  t.regex(report!.detail, /x@gone\.lokole\.ca/);
});

test('submitting the same email twice sends it once', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  const mail = email({ _uid: 'u-twice', from: 'bob@kin.lokole.ca', to: ['ana@example.org'] });
  await c.cloud.outbox.submit(mail, { deviceId: kin.id, origin: 'device' });
  await c.cloud.outbox.submit(mail, { deviceId: kin.id, origin: 'device' });
  await waitFor(async () => (await reports(c, 'u-twice')).length === 1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is(sink.messages.length, 1);
});

test('a temporary refusal (451) is retried with backoff and then sent, leaving deferred and sent reports', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  sink.reply.code = 451;
  await c.cloud.outbox.submit(
    email({ _uid: 'u-retry', from: 'bob@kin.lokole.ca', to: ['ana@example.org'] }),
    {
      deviceId: kin.id,
      origin: 'device',
    },
  );
  await waitFor(async () => (await reports(c, 'u-retry')).some((r) => r.status === 'deferred'), {
    what: 'a deferred report',
  });
  delete sink.reply.code;
  await waitFor(async () => (await reports(c, 'u-retry')).some((r) => r.status === 'sent'), {
    what: 'the retry',
  });
  t.is(sink.messages.length, 1);
  const row = (await c.cloud.knex('outbound_messages').where('email_id', 'u-retry').first()) as {
    attempts: number;
    state: string;
  };
  t.is(row.state, 'sent');
  t.is(row.attempts, 2);
});

test('a permanent refusal (550) bounces at once with the relay’s answer in the report', async (t) => {
  const { c, sink } = await sinkCloud(t);
  const kin = await c.cloud.devices.register('kin');
  sink.reply.code = 550;
  sink.reply.message = 'No such user here';
  await c.cloud.outbox.submit(
    email({ _uid: 'u-550', from: 'bob@kin.lokole.ca', to: ['nobody@example.org'] }),
    {
      deviceId: kin.id,
      origin: 'device',
    },
  );
  await waitFor(async () => (await reports(c, 'u-550')).length > 0);
  const [report] = await reports(c, 'u-550');
  t.is(report?.status, 'bounced');
  t.regex(report!.detail, /No such user here/);
});

test('temporary failures that outlast the attempts become a bounce', async (t) => {
  const { c, sink } = await sinkCloud(t, { SEND_MAX_ATTEMPTS: '2' });
  const kin = await c.cloud.devices.register('kin');
  sink.reply.code = 421;
  await c.cloud.outbox.submit(
    email({ _uid: 'u-gaveup', from: 'bob@kin.lokole.ca', to: ['ana@example.org'] }),
    {
      deviceId: kin.id,
      origin: 'device',
    },
  );
  await waitFor(async () => (await reports(c, 'u-gaveup')).some((r) => r.status === 'bounced'), {
    what: 'the bounce',
  });
  const bounce = (await reports(c, 'u-gaveup')).find((r) => r.status === 'bounced')!;
  t.regex(bounce.detail, /Gave up after 2 attempts/);
});

test('with a DKIM key the relayed message carries a DKIM-Signature for the configured domain', async (t) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const { c, sink } = await sinkCloud(t, { DKIM_SELECTOR: 'lokole', DKIM_PRIVATE_KEY: pem });
  const kin = await c.cloud.devices.register('kin');
  await c.cloud.outbox.submit(email({ _uid: 'u-dkim', from: 'bob@kin.lokole.ca', to: ['ana@example.org'] }), {
    deviceId: kin.id,
    origin: 'device',
  });
  await waitFor(() => sink.messages.length === 1);
  const raw = sink.messages[0]!.raw.toString();
  t.regex(raw, /^DKIM-Signature: .*d=lokole\.ca/m);
  t.regex(raw, /s=lokole/);
});

test('the SendGrid transport posts v3 mail/send JSON with the real From, personalizations and attachments', async (t) => {
  const sendgrid = await startFakeHttp((_req, res) => {
    res.writeHead(202, { 'x-message-id': 'sg-1' }).end();
  });
  t.teardown(() => sendgrid.close());
  const c = await startTestCloud(t, azurite(), {
    MAIL_TRANSPORT: 'sendgrid',
    SENDGRID_API_KEY: 'SG.test',
    SENDGRID_API_URL: sendgrid.url,
  });
  const kin = await c.cloud.devices.register('kin');
  await c.cloud.devices.register('goma');
  const attachment = await withAttachment(c, 'the notes');
  await c.cloud.outbox.submit(
    email({
      _uid: 'u-sg',
      from: 'bob@kin.lokole.ca',
      to: ['ana@example.org'],
      cc: ['carol@goma.lokole.ca', 'cc@example.org'],
      bcc: ['b@example.org'],
      attachments: [attachment],
    }),
    { deviceId: kin.id, origin: 'device' },
  );
  await waitFor(() => sendgrid.requests.length === 1);
  const request = sendgrid.requests[0]!;
  t.is(request.url, '/v3/mail/send');
  t.is(request.headers.authorization, 'Bearer SG.test');
  const body = JSON.parse(request.body);
  t.deepEqual(body.from, { email: 'bob@kin.lokole.ca' });
  t.deepEqual(body.personalizations, [
    {
      to: [{ email: 'ana@example.org' }],
      cc: [{ email: 'cc@example.org' }],
      bcc: [{ email: 'b@example.org' }],
    },
  ]);
  t.is(Buffer.from(body.attachments[0].content, 'base64').toString(), 'the notes');
  await waitFor(async () => (await reports(c, 'u-sg')).length === 1);
  const row = (await c.cloud.knex('outbound_messages').where('email_id', 'u-sg').first()) as {
    message_id: string;
  };
  t.is(row.message_id, 'sg-1');
});

test('SendGrid answering 503 is retried; answering 400 bounces', async (t) => {
  let answer = 503;
  const sendgrid = await startFakeHttp((_req, res) => {
    res.writeHead(answer, { 'content-type': 'application/json' }).end('{"errors":[{"message":"nope"}]}');
  });
  t.teardown(() => sendgrid.close());
  const c = await startTestCloud(t, azurite(), {
    MAIL_TRANSPORT: 'sendgrid',
    SENDGRID_API_KEY: 'SG.test',
    SENDGRID_API_URL: sendgrid.url,
  });
  const kin = await c.cloud.devices.register('kin');
  await c.cloud.outbox.submit(email({ _uid: 'u-sg2', from: 'bob@kin.lokole.ca', to: ['ana@example.org'] }), {
    deviceId: kin.id,
    origin: 'device',
  });
  await waitFor(async () => (await reports(c, 'u-sg2')).some((r) => r.status === 'deferred'));
  answer = 400;
  await waitFor(async () => (await reports(c, 'u-sg2')).some((r) => r.status === 'bounced'), {
    what: 'the bounce',
  });
  t.true(sendgrid.requests.length >= 2);
});
