import { createHash } from 'node:crypto';
import test from 'ava';
import { parseMessage } from '../../src/mail/parse.js';
import { eightBitMessage, htmlWithInlineImage } from '../helpers/mime.js';

const options = {
  uid: 'u1',
  receivedAt: new Date('2026-12-02T08:09:00Z'),
  fallbackFrom: 'envelope@example.org',
};

test('an HTML message becomes an Email with lower-cased addresses, UTC sent_at and decoded subject', async (t) => {
  const { email } = await parseMessage(Buffer.from(htmlWithInlineImage()), options);
  t.is(email._uid, 'u1');
  t.is(email.from, 'ana@example.org');
  t.deepEqual(email.to, ['bob@kin.lokole.ca', 'carol@other.lokole.ca']);
  t.deepEqual(email.cc, ['dan@example.net']);
  t.deepEqual(email.bcc, []);
  t.is(email.subject, 'Mbète mina malamu');
  t.is(email.sent_at, '2026-12-01 09:20');
});

test('scripts, event handlers and javascript: links are removed from the HTML', async (t) => {
  const { email } = await parseMessage(Buffer.from(htmlWithInlineImage()), options);
  t.false(email.body.includes('<script'));
  t.false(email.body.includes('onclick'));
  t.false(email.body.includes('javascript:'));
});

test('cid: links are kept and the inline part is an attachment with that cid', async (t) => {
  const { email, attachments } = await parseMessage(Buffer.from(htmlWithInlineImage()), options);
  t.true(email.body.includes('src="cid:logo@x"'));
  const logo = email.attachments.find((a) => a.filename === 'logo.png');
  t.is(logo?.cid, 'logo@x');
  t.is(logo?.type, 'image/png');
  const pdf = attachments.find((a) => a.ref.filename === 'report.pdf')!;
  t.is(pdf.ref.sha256, createHash('sha256').update(pdf.content).digest('hex'));
  t.is(pdf.content.toString(), '%PDF-1.4 fake');
});

const charsets: Array<[string, Buffer, string]> = [
  ['iso-8859-1', Buffer.from('Bonjour, ça va très bien à Kinshasa', 'latin1'), 'ça va très bien à Kinshasa'],
  ['windows-1252', Buffer.from([0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x94, 0x20, 0x80]), '“quote” €'],
  ['windows-1251', Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), 'Привет'],
  ['koi8-r', Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), 'Привет'],
  ['gb2312', Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), '你好'],
  ['shift_jis', Buffer.from([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]), 'こんにちは'],
];

for (const [charset, bytes, expected] of charsets) {
  test(`an 8-bit ${charset} body is decoded to the right text`, async (t) => {
    const { email } = await parseMessage(eightBitMessage(charset, bytes), options);
    t.true(email.body.includes(expected), email.body);
  });
}

test('a message without a Date header takes the time it was received', async (t) => {
  const raw = 'From: a@example.org\r\nTo: bob@kin.lokole.ca\r\nSubject: no date\r\n\r\nhi\r\n';
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.is(email.sent_at, '2026-12-02 08:09');
});

test('a message without a usable From takes the envelope sender', async (t) => {
  const raw = 'From: undisclosed\r\nTo: bob@kin.lokole.ca\r\n\r\nhi\r\n';
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.is(email.from, 'envelope@example.org');
});

test('malformed MIME (no closing boundary, bad base64, junk headers) still yields an email', async (t) => {
  const raw = [
    'From: a@example.org',
    'To: bob@kin.lokole.ca, undisclosed-recipients:;',
    'Subject: broken',
    'Content-Type: multipart/mixed; boundary="b"',
    'X-Junk:: : :',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'the text part',
    '--b',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    '!!!not base64***',
  ].join('\r\n');
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.true(email.body.includes('the text part'));
  t.deepEqual(email.to, ['bob@kin.lokole.ca']);
});

test('a plain-text message becomes escaped HTML', async (t) => {
  const raw = 'From: a@example.org\r\nTo: bob@kin.lokole.ca\r\n\r\n<b>not bold</b> & more\r\n';
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.false(email.body.includes('<b>'));
  t.true(email.body.includes('&lt;b&gt;'));
});

test('a header of 200 KB is read without failing', async (t) => {
  const raw = `From: a@example.org\r\nTo: bob@kin.lokole.ca\r\nX-Huge: ${'x'.repeat(200_000)}\r\nSubject: ${'s'.repeat(5000)}\r\n\r\nbody\r\n`;
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.is(email.subject.length, 5000);
  t.true(email.body.includes('body'));
});

test('an attachment without a file name gets one from its type', async (t) => {
  const raw = [
    'From: a@example.org',
    'To: bob@kin.lokole.ca',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--b',
    'Content-Type: image/jpeg',
    'Content-Disposition: attachment',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('jpegbytes').toString('base64'),
    '--b--',
  ].join('\r\n');
  const { email } = await parseMessage(Buffer.from(raw), options);
  t.is(email.attachments[0]?.filename, 'attachment-1.jpg');
});
