// The device's sources are compiled here too, with the types app/ declares for better-sqlite3.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../app/src/db/better-sqlite3.d.ts" />
import { randomBytes } from 'node:crypto';
import test from 'ava';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import sharp from 'sharp';
import { sha256Hex } from '@lokole/protocol';
import { findEmail } from '../../../app/src/db/mail.js';
import { listSyncRuns } from '../../../app/src/db/sync.js';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud } from '../helpers/cloud.js';
import { startDevice, type TestDevice } from '../helpers/device.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);
async function inbox(device: TestDevice, address: string) {
  return (await device
    .db('mailboxes as m')
    .join('users as u', 'u.id', 'm.user_id')
    .join('emails as e', 'e.id', 'm.email_id')
    .where('u.address', address)
    .where('m.folder', 'inbox')
    .select('e.uid', 'e.subject')) as Array<{ uid: string; subject: string }>;
}

test('mail crosses between two devices and the internet exactly once, attachments intact, bcc hidden', async (t) => {
  t.timeout(120_000);
  const sink = await startSmtpSink();
  t.teardown(() => sink.close());
  const cloud = await startTestCloud(t, azurite(), { SMTP_RELAY_URL: sink.url });
  const a = await startDevice(t, cloud, 'alpha');
  const b = await startDevice(t, cloud, 'beta');
  const ana = await a.accounts.signUp('ana', 'correct horse', 'correct horse');
  const ben = await a.accounts.signUp('ben', 'correct horse', 'correct horse');
  const bea = await b.accounts.signUp('bea', 'correct horse', 'correct horse');
  const note = Buffer.from('minutes of the meeting\n'.repeat(50));
  const stored = await a.files.putBuffer(note);
  const sent = await a.mail.send(
    { id: ana.id, address: ana.address },
    {
      to: ['friend@example.org', ben.address],
      cc: [bea.address],
      bcc: ['secret@example.net'],
      subject: 'Hello from alpha',
      bodyHtml: '<p>Mbote!</p>',
      attachments: [
        { filename: 'minutes.txt', type: 'text/plain', sha256: stored.sha256, size: stored.size },
      ],
    },
  );

  // The internet writes to ana (small) and to bea (a 3 MB photo and a PDF).
  const photo = await sharp({
    create: { width: 1400, height: 1000, channels: 3, background: { r: 10, g: 120, b: 200 } },
  })
    .composite([{ input: randomBytes(1400 * 1000 * 3), raw: { width: 1400, height: 1000, channels: 3 } }])
    .jpeg({ quality: 100 })
    .toBuffer();
  const pdf = Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
  const smtp = nodemailer.createTransport({
    host: '127.0.0.1',
    port: cloud.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  t.teardown(() => smtp.close());
  await smtp.sendMail({ from: 'aunt@example.org', to: ana.address, subject: 'For ana', text: 'Hi ana' });
  await smtp.sendMail({
    from: 'press@example.org',
    to: bea.address,
    subject: 'Photo for bea',
    text: 'See attached',
    attachments: [
      { filename: 'photo.jpg', content: photo, contentType: 'image/jpeg' },
      { filename: 'report.pdf', content: pdf, contentType: 'application/pdf' },
    ],
  });
  await waitFor(async () => (await cloud.cloud.store.figures()).pendingEmails >= 2, {
    what: 'inbound parsed',
  });

  await a.sync();
  await waitFor(() => sink.messages.length >= 1, { what: 'the internet to receive ana’s mail' });
  await b.sync();
  await a.sync(); // the delivery report
  await b.sync(); // nothing new: idempotent

  // Every mailbox has its mail exactly once.
  t.deepEqual(
    (await inbox(a, ana.address)).map((e) => e.subject),
    ['For ana'],
  );
  t.deepEqual(
    (await inbox(a, ben.address)).map((e) => e.subject),
    ['Hello from alpha'],
  );
  t.deepEqual((await inbox(b, bea.address)).map((e) => e.subject).sort(), [
    'Hello from alpha',
    'Photo for bea',
  ]);

  // The copy on B: no bcc, attachment byte-identical.
  const onB = await findEmail(b.db, sent.uid);
  t.deepEqual(onB?.bcc, []);
  t.is(onB?.attachments[0]?.sha256, stored.sha256);
  t.true(await b.files.has(stored.sha256));

  // The photo is held back with a preview; the PDF is small and travels.
  const photoMail = (await inbox(b, bea.address)).find((e) => e.subject === 'Photo for bea')!;
  const held = await findEmail(b.db, photoMail.uid);
  const heldPhoto = held!.attachments.find((x) => x.filename === 'photo.jpg')!;
  t.true(heldPhoto.deferred);
  t.is(heldPhoto.sha256, sha256Hex(photo));
  t.false(await b.files.has(heldPhoto.sha256));
  t.truthy(heldPhoto.previewSha256);
  t.true(await b.files.has(heldPhoto.previewSha256!));
  const heldPdf = held!.attachments.find((x) => x.filename === 'report.pdf')!;
  t.is(heldPdf.sha256, sha256Hex(pdf));
  t.true(await b.files.has(heldPdf.sha256));

  // "Get full file": asked in the next sync, arrives in the one after.
  await b.sync(['--request', heldPhoto.sha256]);
  await b.sync();
  await new Promise((resolve) => setTimeout(resolve, 300)); // the upload job files the request
  await b.sync();
  t.true(await b.files.has(heldPhoto.sha256));
  t.false(
    Boolean(
      (await findEmail(b.db, photoMail.uid))!.attachments.find((x) => x.filename === 'photo.jpg')!.deferred,
    ),
  );

  // The internet got ana's mail: From, To, Cc, Subject, body, attachment; no Bcc header.
  t.is(sink.messages.length, 1);
  const out = sink.messages[0]!;
  t.deepEqual(out.to.sort(), ['friend@example.org', 'secret@example.net']);
  const parsed = await simpleParser(out.raw);
  t.is(parsed.from?.value[0]?.address, ana.address);
  t.is(parsed.subject, 'Hello from alpha');
  t.regex(String(parsed.html), /Mbote!/);
  t.is((parsed.cc as { value: Array<{ address: string }> }).value[0]?.address, bea.address);
  t.false(
    out.raw.toString('latin1').toLowerCase().includes('secret@example.net\r\n') &&
      /^bcc:/im.test(out.raw.toString('latin1')),
  );
  t.notRegex(out.raw.toString('latin1'), /^bcc:/im);
  t.true(parsed.attachments[0]?.content.equals(note));

  // States the user sees: sent, with its time.
  const onA = await findEmail(a.db, sent.uid);
  t.is(onA?.deliveryState, 'sent');
  t.truthy(onA?.handedAt);
  t.truthy(onA?.deliveredAt);

  // Each sync is logged with socket bytes.
  const runs = await listSyncRuns(a.db);
  t.is(runs.length, 2);
  t.true(runs.every((r) => r.status === 'ok' && r.bytesUp > 0 && r.bytesDown > 0));
  t.is(runs[1]!.emailsUp, 1);
});
