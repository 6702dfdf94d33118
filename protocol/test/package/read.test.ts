import test, { type ExecutionContext } from 'ava';
import zlib from 'node:zlib';
import { isLokoleError, sha256Hex, validatePackage, type Limits } from '../../src/index.js';
import { brotli, jsonl, manifestOf, PHOTO, rawTar, readAll, sampleEmails, writeSample } from '../helpers.js';

const email = sampleEmails(3)[2]!; // no attachments

async function rejects(
  t: ExecutionContext,
  bytes: Buffer | Promise<Buffer>,
  code: 'PACKAGE_CORRUPT' | 'PACKAGE_TOO_LARGE' | 'UNSUPPORTED',
  reason: string,
  limits?: Partial<Limits>,
): Promise<string> {
  const error = await t.throwsAsync(readAll(await bytes, limits ? { limits } : {}));
  t.true(isLokoleError(error, code), `expected ${code}, got ${String(error)}`);
  t.is((error as { reason?: string }).reason, reason);
  return error!.message;
}

test('a package read in one-byte chunks gives the same result as in one piece', async (t) => {
  const bytes = await writeSample();
  const chunks = [...bytes].map((byte) => Buffer.from([byte]));
  t.deepEqual(await readAll(chunks), await readAll(bytes));
});

test('validatePackage counts what a valid package holds', async (t) => {
  const summary = await validatePackage([await writeSample()]);
  t.deepEqual(summary.counts, { emails: 3, users: 0, reports: 0, requests: 0, attachments: 2 });
  t.is(summary.info.version, 2);
});

test('an empty input is rejected as empty', async (t) => {
  await rejects(t, Buffer.alloc(0), 'PACKAGE_CORRUPT', 'empty');
});

test('a package cut short anywhere is rejected, never read as complete', async (t) => {
  const bytes = await writeSample();
  for (const length of [10, 511, 512, 700, 1100, 2000, bytes.length - 1500, bytes.length - 1030]) {
    const error = await t.throwsAsync(readAll(bytes.subarray(0, length)));
    t.true(isLokoleError(error, 'PACKAGE_CORRUPT'), `cut at ${length}: ${String(error)}`);
  }
});

test('an attachment whose bytes do not match its name is rejected', async (t) => {
  const bytes = await writeSample();
  const at = bytes.indexOf(PHOTO.subarray(0, 64));
  bytes.writeUInt8(bytes.readUInt8(at + 100) ^ 0xff, at + 100);
  const message = await rejects(t, bytes, 'PACKAGE_CORRUPT', 'hash-mismatch');
  t.regex(message, new RegExp(`Attachment ${sha256Hex(PHOTO)} does not match its name`));
});

test('a line that is not JSON is rejected, naming the member and line', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 2 }) },
    { name: 'emails.jsonl.br', content: brotli(`${JSON.stringify(email)}\n{"_uid": oops\n`) },
  ]);
  t.regex(
    await rejects(t, tar, 'PACKAGE_CORRUPT', 'bad-json'),
    /^Line 2 of emails\.jsonl\.br is not valid JSON/,
  );
});

test('an email that breaks the schema is rejected, naming line and field', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 1 }) },
    { name: 'emails.jsonl.br', content: brotli(jsonl([{ ...email, from: 'nobody' }])) },
  ]);
  t.regex(
    await rejects(t, tar, 'PACKAGE_CORRUPT', 'invalid-record'),
    /Line 1 of emails\.jsonl\.br: field "from"/,
  );
});

test('a member named like ../x is rejected before it is used', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({}) },
    { name: '../x', content: 'boom' },
  ]);
  t.regex(await rejects(t, tar, 'PACKAGE_CORRUPT', 'unsafe-name'), /"\.\.\/x"/);
});

test('links and folders inside a package are rejected', async (t) => {
  for (const type of ['symlink', 'directory'] as const) {
    const tar = rawTar([
      { name: 'manifest.json', content: manifestOf({}) },
      { name: 'attachments', content: '', type },
    ]);
    await rejects(t, tar, 'PACKAGE_CORRUPT', 'not-a-file');
  }
});

test('a member the format does not know is rejected', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({}) },
    { name: 'emails.jsonl.br', content: brotli('') },
    { name: 'notes.txt', content: 'hello' },
  ]);
  await rejects(t, tar, 'PACKAGE_CORRUPT', 'unexpected-member');
});

test('a member that appears twice is rejected', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({}) },
    { name: 'emails.jsonl.br', content: brotli('') },
    { name: 'emails.jsonl.br', content: brotli('') },
  ]);
  await rejects(t, tar, 'PACKAGE_CORRUPT', 'duplicate-member');
});

test('a package without its emails member is rejected', async (t) => {
  await rejects(
    t,
    rawTar([{ name: 'manifest.json', content: manifestOf({}) }]),
    'PACKAGE_CORRUPT',
    'missing-member',
  );
});

test('a manifest of another format or version is rejected', async (t) => {
  for (const manifest of [
    manifestOf({}, { version: 3 }),
    manifestOf({}, { format: 'other' }),
    '{"format":',
  ]) {
    const tar = rawTar([{ name: 'manifest.json', content: manifest }]);
    const error = await t.throwsAsync(readAll(await tar));
    t.true(isLokoleError(error, 'PACKAGE_CORRUPT'));
  }
});

test('a manifest whose counts do not match the package is rejected', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 2 }) },
    { name: 'emails.jsonl.br', content: brotli(jsonl([email])) },
  ]);
  t.regex(
    await rejects(t, tar, 'PACKAGE_CORRUPT', 'count-mismatch'),
    /promises 2 emails but the package holds 1/,
  );
});

test('an email naming an attachment the package does not carry is rejected', async (t) => {
  const sha256 = sha256Hex(PHOTO);
  const withPhoto = {
    ...email,
    attachments: [{ filename: 'a.jpg', type: 'image/jpeg', size: PHOTO.length, sha256 }],
  };
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 1 }) },
    { name: 'emails.jsonl.br', content: brotli(jsonl([withPhoto])) },
  ]);
  t.regex(await rejects(t, tar, 'PACKAGE_CORRUPT', 'missing-attachment'), new RegExp(sha256));
});

test('a line over the line limit is rejected without being held whole', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 1 }) },
    { name: 'emails.jsonl.br', content: brotli(jsonl([{ ...email, body: 'x'.repeat(300_000) }])) },
  ]);
  t.regex(
    await rejects(t, tar, 'PACKAGE_TOO_LARGE', 'line-too-long', { maxLineBytes: 100_000 }),
    /Line 1 of emails\.jsonl\.br is longer than 97\.7 KiB/,
  );
});

test('more emails than the limit are rejected, whether declared or found', async (t) => {
  await rejects(t, writeSample(), 'PACKAGE_TOO_LARGE', 'too-many-emails', { maxEmails: 2 });
  const undeclared = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 1 }) },
    { name: 'emails.jsonl.br', content: brotli(jsonl([email, email, email])) },
  ]);
  await rejects(t, undeclared, 'PACKAGE_TOO_LARGE', 'too-many-emails', { maxEmails: 2 });
});

test('an attachment over the size limit is rejected from its header, before its bytes', async (t) => {
  t.regex(
    await rejects(t, writeSample(), 'PACKAGE_TOO_LARGE', 'attachment-too-large', {
      maxAttachmentBytes: 4000,
    }),
    /over the limit of 3\.9 KiB/,
  );
});

test('more attachments than the limit are rejected', async (t) => {
  await rejects(t, writeSample(), 'PACKAGE_TOO_LARGE', 'too-many-attachments', { maxAttachments: 1 });
});

test('a package that unpacks past the total limit is rejected', async (t) => {
  await rejects(t, writeSample(), 'PACKAGE_TOO_LARGE', 'total-too-large', { maxTotalBytes: 6000 });
});

test('a brotli or gzip bomb is stopped by the ratio guard', async (t) => {
  // Newlines, so that no line limit fires first: the ratio guard alone must stop it.
  const zeros = Buffer.alloc(64 * 1024 * 1024, 0x0a);
  for (const [name, content, compression] of [
    ['emails.jsonl.br', zlib.brotliCompressSync(zeros), 'br'],
    ['emails.jsonl.gz', zlib.gzipSync(zeros), 'gzip'],
  ] as const) {
    const tar = rawTar([
      { name: 'manifest.json', content: manifestOf({}, { compression }) },
      { name, content },
    ]);
    t.regex(await rejects(t, tar, 'PACKAGE_TOO_LARGE', 'compression-ratio'), /decompression bomb/);
  }
});

test('a text member that is not compressed as the manifest says is rejected', async (t) => {
  const tar = rawTar([
    { name: 'manifest.json', content: manifestOf({ emails: 1 }) },
    { name: 'emails.jsonl.br', content: jsonl([email]) },
  ]);
  await rejects(t, tar, 'PACKAGE_CORRUPT', 'bad-compression');
});
