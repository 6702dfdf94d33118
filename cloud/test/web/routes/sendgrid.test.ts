import test from 'ava';
import request from 'supertest';
import { useAzurite } from '../../helpers/azurite.js';
import { startTestCloud } from '../../helpers/cloud.js';
import { eightBitMessage } from '../../helpers/mime.js';
import { waitFor } from '../../helpers/wait.js';

const azurite = useAzurite(test);

/** The multipart body SendGrid's Inbound Parse posts in raw mode: the MIME bytes as they came. */
function inboundParseForm(raw: Buffer, envelope: object): { body: Buffer; type: string } {
  const boundary = 'xYzZY';
  const field = (name: string, value: Buffer) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      value,
      Buffer.from('\r\n'),
    ]);
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([
      field('to', Buffer.from('bob@kin.lokole.ca')),
      field('envelope', Buffer.from(JSON.stringify(envelope))),
      field('charsets', Buffer.from('{"to":"UTF-8"}')),
      field('email', raw),
      Buffer.from(`--${boundary}--\r\n`),
    ]),
  };
}

test('a raw-mode post is stored with its 8-bit bytes intact and queued for the device', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const raw = eightBitMessage('iso-8859-1', Buffer.from('Très bien, à bientôt', 'latin1'));
  const form = inboundParseForm(raw, { from: 'ana@example.org', to: ['bob@kin.lokole.ca'] });
  const res = await request(c.cloud.web.app)
    .post(`/api/email/sendgrid/${kin.id}`)
    .set('content-type', form.type)
    .send(form.body);
  t.is(res.status, 200);
  const { createHash } = await import('node:crypto');
  t.is(res.body.sha256, createHash('sha256').update(raw).digest('hex'));
  const row = await waitFor(
    async () =>
      (await c.cloud.knex('device_emails').where('device_id', kin.id).first()) as
        { email_id: string } | undefined,
  );
  const email = (await c.cloud.store.findEmail(row.email_id))!.email;
  t.true(email.body.includes('Très bien, à bientôt'));
});

test('a post for an unknown client id is refused with 403', async (t) => {
  const c = await startTestCloud(t, azurite());
  const form = inboundParseForm(Buffer.from('From: a@b.org\r\n\r\nx'), {});
  const res = await request(c.cloud.web.app)
    .post('/api/email/sendgrid/00000000-0000-4000-8000-000000000000')
    .set('content-type', form.type)
    .send(form.body);
  t.is(res.status, 403);
  t.is(res.body.error.code, 'FORBIDDEN');
});

test('a post without an email field is refused with 400', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const res = await request(c.cloud.web.app)
    .post(`/api/email/sendgrid/${kin.id}`)
    .field('to', 'bob@kin.lokole.ca');
  t.is(res.status, 400);
  t.regex(res.body.error.message, /raw mode/);
});

test('a post over the size limit is refused with 413', async (t) => {
  const c = await startTestCloud(t, azurite(), { MAX_MESSAGE_BYTES: '10000' });
  const kin = await c.cloud.devices.register('kin');
  const form = inboundParseForm(Buffer.alloc(20_000, 'a'), {});
  const res = await request(c.cloud.web.app)
    .post(`/api/email/sendgrid/${kin.id}`)
    .set('content-type', form.type)
    .send(form.body);
  t.is(res.status, 413);
});

test('without an envelope, the headers decide which devices get the mail', async (t) => {
  const c = await startTestCloud(t, azurite());
  const kin = await c.cloud.devices.register('kin');
  const form = inboundParseForm(eightBitMessage('utf-8', Buffer.from('hi')), { nothing: true });
  await request(c.cloud.web.app)
    .post(`/api/email/sendgrid/${kin.id}`)
    .set('content-type', form.type)
    .send(form.body);
  await waitFor(
    async () => (await c.cloud.knex('device_emails').where('device_id', kin.id).first()) as unknown,
  );
  t.pass();
});
