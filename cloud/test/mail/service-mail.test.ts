import test from 'ava';
import { useAzurite } from '../helpers/azurite.js';
import { sendRaw, simpleMessage, startTestCloud } from '../helpers/cloud.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

test('echo@ sends the same message back to a sender on the internet', async (t) => {
  const sink = await startSmtpSink();
  t.teardown(() => sink.close());
  const c = await startTestCloud(t, azurite(), { SMTP_RELAY_URL: sink.url });
  await sendRaw(
    c.smtpPort,
    { from: 'ana@example.org', to: ['echo@bot.lokole.ca'] },
    simpleMessage({ to: 'echo@bot.lokole.ca', subject: 'ping', body: 'echo me' }),
  );
  await waitFor(() => sink.messages.length === 1, { what: 'the echo' });
  const raw = sink.messages[0]!.raw.toString();
  t.deepEqual(sink.messages[0]!.to, ['ana@example.org']);
  t.regex(raw, /^From: echo@bot\.lokole\.ca/m);
  t.regex(raw, /^Subject: ping/m);
  t.regex(raw, /echo me/);
});

test('echo@ answers a Lokole user inside the cloud', async (t) => {
  const sink = await startSmtpSink();
  t.teardown(() => sink.close());
  const c = await startTestCloud(t, azurite(), { SMTP_RELAY_URL: sink.url });
  const kin = await c.cloud.devices.register('kin');
  await c.cloud.outbox.submit(
    {
      _uid: 'u-echo',
      from: 'bob@kin.lokole.ca',
      to: ['echo@bot.lokole.ca'],
      cc: [],
      bcc: [],
      subject: 'test',
      body: '<p>x</p>',
      attachments: [],
      sent_at: '2026-12-01 10:00',
    },
    { deviceId: kin.id, origin: 'device' },
  );
  const pending = await waitFor(
    async () => {
      const rows = (await c.cloud.knex('device_emails').where('device_id', kin.id)) as Array<{
        email_id: string;
      }>;
      return rows.length === 1 && rows;
    },
    { what: 'the echo for kin' },
  );
  const echo = (await c.cloud.store.findEmail(pending[0]!.email_id))!.email;
  t.is(echo.from, 'echo@bot.lokole.ca');
  t.deepEqual(echo.to, ['bob@kin.lokole.ca']);
  t.is(sink.messages.length, 0);
});
