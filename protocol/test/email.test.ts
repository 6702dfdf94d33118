import test from 'ava';
import { isLokoleError, normalizeAddress, parseEmail } from '../src/index.js';

const valid = {
  _uid: 'abc',
  sent_at: '2026-11-02 06:05',
  to: ['ana@kinshasa.lokole.ca'],
  cc: [],
  bcc: [],
  from: 'papa@example.org',
  subject: 'Mbote',
  body: '<p>Salut</p>',
  attachments: [],
};

test('addresses are lower-cased and stripped of display names', (t) => {
  const email = parseEmail({
    ...valid,
    to: ['Ana Mbuyi <ANA@Kinshasa.Lokole.CA>'],
    from: ' Papa@Example.org ',
  });
  t.deepEqual(email.to, ['ana@kinshasa.lokole.ca']);
  t.is(email.from, 'papa@example.org');
  t.is(normalizeAddress('"Doe, J" <J@X.ORG>'), 'j@x.org');
});

test('an entry holding several addresses becomes one entry per address', (t) => {
  const email = parseEmail({
    ...valid,
    to: 'a@x.org, B@y.org; c@z.org',
    cc: ['"Doe, Jane" <jane@x.org>, d@x.org'],
  });
  t.deepEqual(email.to, ['a@x.org', 'b@y.org', 'c@z.org']);
  t.deepEqual(email.cc, ['jane@x.org', 'd@x.org']);
});

test('sent_at in any ISO form becomes UTC yyyy-mm-dd HH:MM', (t) => {
  t.is(parseEmail({ ...valid, sent_at: '2026-11-02T08:05:59+02:00' }).sent_at, '2026-11-02 06:05');
  t.is(parseEmail({ ...valid, sent_at: '2026-11-02 06:05' }).sent_at, '2026-11-02 06:05');
});

test('the fields the original Lokole drops when empty get their empty values', (t) => {
  const email = parseEmail({ _uid: 'x', from: 'a@x.org', to: ['b@x.org'] });
  t.deepEqual([email.cc, email.bcc, email.subject, email.body, email.attachments], [[], [], '', '', []]);
  t.is(email.sent_at, undefined);
});

test('a bad address is named with its field and position', (t) => {
  const error = t.throws(() =>
    parseEmail({ ...valid, to: ['ok@x.org', 'bob@'] }, 'Line 7 of emails.jsonl.br'),
  );
  t.true(isLokoleError(error, 'INVALID_INPUT'));
  t.regex(error!.message, /^Line 7 of emails\.jsonl\.br: field "to\[1\]": "bob@" is not an email address/);
});

test('a bad time, a missing uid and a bad attachment hash are all reported at once', (t) => {
  const error = t.throws(() =>
    parseEmail({
      ...valid,
      _uid: undefined,
      sent_at: 'yesterday',
      attachments: [{ filename: 'a.jpg', size: 1, sha256: 'nothex' }],
    }),
  );
  t.regex(error!.message, /field "_uid"/);
  t.regex(error!.message, /field "sent_at": "yesterday" is not a time/);
  t.regex(error!.message, /field "attachments\[0\]\.sha256": "nothex" is not a SHA-256/);
});

test('an attachment without a type gets application/octet-stream', (t) => {
  const email = parseEmail({
    ...valid,
    attachments: [{ filename: 'a.bin', size: 1, sha256: 'a'.repeat(64) }],
  });
  t.is(email.attachments[0]!.type, 'application/octet-stream');
});
