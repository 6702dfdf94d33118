import test from 'ava';
import { attachmentsFromMap, sha256Hex, writePackage } from '../../src/index.js';
import {
  collectBytes,
  emailsOf,
  PHOTO,
  readAll,
  sampleEmails,
  SAMPLE_BLOBS,
  writeSample,
} from '../helpers.js';

function memberNames(tar: Buffer): string[] {
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = tar
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      tar
        .subarray(offset + 124, offset + 136)
        .toString('utf8')
        .trim(),
      8,
    );
    names.push(name);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

test('a package holds the manifest, then the text members, then each attachment content once', async (t) => {
  const bytes = await writeSample({ users: [{ address: 'ana.mbuyi@kinshasa.lokole.ca' }] });
  t.deepEqual(memberNames(bytes), [
    'manifest.json',
    'emails.jsonl.br',
    'users.jsonl.br',
    `attachments/${sha256Hex(PHOTO)}`,
    `attachments/${[...SAMPLE_BLOBS.keys()][1]}`,
  ]);
});

test('what is written reads back as the same emails and attachment bytes', async (t) => {
  const result = await readAll(await writeSample());
  t.deepEqual(emailsOf(result), sampleEmails());
  t.deepEqual(result.attachments, SAMPLE_BLOBS);
  const info = result.items[0];
  t.is(info?.type, 'info');
  t.like(info?.type === 'info' ? info.info.manifest : {}, {
    kind: 'download',
    device: 'kinshasa',
    compression: 'br',
    counts: { emails: 3, attachments: 2, users: 0 },
  });
});

test('the same contents always give the same bytes', async (t) => {
  t.deepEqual(await writeSample(), await writeSample());
});

test("the caller's creation date is left as it was", async (t) => {
  const created = new Date('2026-11-02T07:00:00.123Z');
  await writeSample({ created });
  t.is(created.toISOString(), '2026-11-02T07:00:00.123Z');
});

test('gzip is the fallback codec, named in the manifest and the member names', async (t) => {
  const bytes = await writeSample({}, { compression: 'gzip' });
  t.true(memberNames(bytes).includes('emails.jsonl.gz'));
  t.deepEqual(emailsOf(await readAll(bytes)), sampleEmails());
});

test('a held-back attachment travels as metadata, with only its preview as bytes', async (t) => {
  const preview = Buffer.from('tiny preview');
  const emails = [
    {
      ...sampleEmails(1)[0]!,
      attachments: [
        {
          filename: 'big.jpg',
          type: 'image/jpeg',
          size: 3_000_000,
          sha256: 'f'.repeat(64),
          deferred: true,
          preview: sha256Hex(preview),
        },
      ],
    },
  ];
  const bytes = await collectBytes((out) =>
    writePackage(
      {
        kind: 'download',
        device: 'd',
        emails,
        attachments: attachmentsFromMap(new Map([[sha256Hex(preview), preview]])),
      },
      out,
    ),
  );
  const result = await readAll(bytes);
  t.deepEqual([...result.attachments.keys()], [sha256Hex(preview)]);
  t.true(emailsOf(result)[0]!.attachments[0]!.deferred);
});

test('files a device asked for travel even when no email in the package names them', async (t) => {
  const bytes = await writeSample({ emails: [], extraAttachments: [sha256Hex(PHOTO)] });
  t.deepEqual((await readAll(bytes)).attachments, new Map([[sha256Hex(PHOTO), PHOTO]]));
});

test('an attachment store returning other bytes than the hash says refuses to write the package', async (t) => {
  const error = await t.throwsAsync(writeSample({ attachments: async () => Buffer.alloc(PHOTO.length) }));
  t.is((error as { code?: string }).code, 'PACKAGE_CORRUPT');
});

test('an invalid email is refused by the writer, naming it', async (t) => {
  const error = await t.throwsAsync(
    writeSample({ emails: [{ ...sampleEmails(1)[0]!, _uid: 'bad-one', from: 'nobody' }] }),
  );
  t.is((error as { code?: string }).code, 'INVALID_INPUT');
  t.regex(error!.message, /email "bad-one": field "from"/);
});

test('attachments without a source are refused with a message that says so', async (t) => {
  const error = await t.throwsAsync(
    collectBytes((out) => writePackage({ kind: 'upload', device: 'd', emails: sampleEmails() }, out)),
  );
  t.regex(error!.message, /no attachment source/);
});

test('delivery reports and attachment requests round-trip', async (t) => {
  const reports = [
    { _uid: 'u1', status: 'bounced' as const, at: '2026-11-02T07:00:00Z', detail: '550 no such user' },
  ];
  const requests = [{ sha256: 'a'.repeat(64) }];
  const result = await readAll(await writeSample({ emails: [], reports, requests }));
  t.deepEqual(
    result.items.filter((item) => item.type === 'report' || item.type === 'request'),
    [
      { type: 'report', report: reports[0]! },
      { type: 'request', request: requests[0]! },
    ],
  );
});
