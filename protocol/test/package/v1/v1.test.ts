import test, { type ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { attachmentsFromMap, isLokoleError, sha256Hex, writePackageV1 } from '../../../src/index.js';
import {
  collectBytes,
  emailsOf,
  PDF,
  PHOTO,
  rawTar,
  readAll,
  sampleEmails,
  SAMPLE_BLOBS,
} from '../../helpers.js';

const run = promisify(execFile);
const here = path.dirname(new URL(import.meta.url).pathname);

async function tempDir(t: ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-v1-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The emails as the original wrote them: attachments inline, empty fields dropped, no sent_at on upload. */
const originalEmails = [
  {
    _uid: 'b9d1c0ae-0c1f-4a53-9a0e-9b3c1d2e4f50',
    from: 'Ana.Mbuyi@kinshasa.lokole.ca',
    to: ['papa@example.org', 'Jean <JEAN@example.org>'],
    subject: 'Mbote na bino — café à Kinshasa',
    body: '<p>Nazali malamu. Ça va très bien, merci ! 😀</p>',
    attachments: [{ filename: 'photo.jpg', content: PHOTO.toString('base64') }],
  },
  {
    _uid: 'c0ffee00-0000-4000-8000-000000000001',
    from: 'papa@example.org',
    to: ['ana.mbuyi@kinshasa.lokole.ca'],
    cc: ['jean@example.org'],
    subject: 'Re: Mbote',
    body: '<p>Merci</p><img src="cid:logo">',
    sent_at: '2026-11-02 06:07',
    attachments: [
      { filename: 'same.jpg', content: PHOTO.toString('base64') },
      { filename: 'logo.png', content: PDF.toString('base64'), cid: 'logo' },
    ],
  },
];

async function originalPackage(
  t: ExecutionContext,
  codec: 'gz' | 'zst' | 'tar',
  users?: unknown[],
  shared?: unknown[],
) {
  const dir = await tempDir(t);
  await writeFile(path.join(dir, 'emails.json'), JSON.stringify(originalEmails));
  const args = [path.join(here, 'original.py'), path.join(dir, 'out'), codec, path.join(dir, 'emails.json')];
  if (users || shared) {
    await writeFile(path.join(dir, 'users.json'), JSON.stringify(users ?? []));
    args.push(users ? path.join(dir, 'users.json') : '-');
  }
  if (shared) {
    await writeFile(path.join(dir, 'shared.json'), JSON.stringify(shared));
    args.push(path.join(dir, 'shared.json'));
  }
  await run('python3', args);
  return readFile(path.join(dir, 'out'));
}

for (const codec of ['gz', 'zst', 'tar'] as const) {
  test(`a .${codec === 'tar' ? 'tar' : `tar.${codec}`} package written by the original Python code reads as normalised emails with their attachments`, async (t) => {
    const result = await readAll(
      await originalPackage(t, codec, [{ email: 'ana.mbuyi@kinshasa.lokole.ca', password: '$2b$12$abc' }]),
    );
    const info = result.items[0];
    t.deepEqual(info, {
      type: 'info',
      info: { version: 1, compression: codec === 'gz' ? 'gzip' : codec === 'zst' ? 'zstd' : 'none' },
    });
    const emails = emailsOf(result);
    t.is(emails.length, 2);
    t.deepEqual(emails[0]!.to, ['papa@example.org', 'jean@example.org']);
    t.is(emails[0]!.from, 'ana.mbuyi@kinshasa.lokole.ca');
    t.is(emails[0]!.subject, 'Mbote na bino — café à Kinshasa');
    t.is(emails[0]!.sent_at, undefined);
    t.deepEqual(emails[1]!.attachments, [
      { filename: 'same.jpg', type: 'image/jpeg', size: PHOTO.length, sha256: sha256Hex(PHOTO) },
      { filename: 'logo.png', cid: 'logo', type: 'image/png', size: PDF.length, sha256: sha256Hex(PDF) },
    ]);
    t.deepEqual(
      result.attachments,
      SAMPLE_BLOBS,
      'each content is yielded once, however many emails carry it',
    );
    t.deepEqual(
      result.items.filter((item) => item.type === 'user'),
      [{ type: 'user', user: { address: 'ana.mbuyi@kinshasa.lokole.ca', password_hash: '$2b$12$abc' } }],
    );
  });
}

test('shared attachments of zattachments.jsonl are given to every email they name', async (t) => {
  const logo = Buffer.from('a shared logo');
  const shared = [
    {
      emails: [originalEmails[0]!._uid, originalEmails[1]!._uid],
      filename: 'logo.gif',
      content: logo.toString('base64'),
      cid: 'l1',
    },
  ];
  const result = await readAll(await originalPackage(t, 'gz', undefined, shared));
  for (const email of emailsOf(result)) {
    t.deepEqual(email.attachments.at(-1), {
      filename: 'logo.gif',
      cid: 'l1',
      type: 'image/gif',
      size: logo.length,
      sha256: sha256Hex(logo),
    });
  }
  t.deepEqual(result.attachments.get(sha256Hex(logo)), logo);
});

test('a .tar.gz written by us is read by the original Python code with the same emails', async (t) => {
  const dir = await tempDir(t);
  const bytes = await collectBytes((out) =>
    writePackageV1(
      {
        emails: sampleEmails(),
        users: [{ address: 'ana.mbuyi@kinshasa.lokole.ca', password_hash: '$2b$12$x' }],
        attachments: attachmentsFromMap(SAMPLE_BLOBS),
      },
      out,
    ),
  );
  await writeFile(path.join(dir, 'p.tar.gz'), bytes);
  const { stdout } = await run('python3', [path.join(here, 'read-original.py'), path.join(dir, 'p.tar.gz')]);
  const seen = JSON.parse(stdout) as { names: string[]; emails: Record<string, unknown>[]; users: unknown[] };
  t.deepEqual(seen.names, ['emails.jsonl', 'zzusers.jsonl']);
  t.deepEqual(seen.users, [{ email: 'ana.mbuyi@kinshasa.lokole.ca', password: '$2b$12$x' }]);
  t.is(seen.emails[0]!.subject, 'Mbote 0');
  t.is(seen.emails[0]!.body, '<p>Bonjour, ndeko 0 — ça va ?</p>');
  t.deepEqual(seen.emails[0]!.attachments, [
    { filename: 'photo.jpg', content: PHOTO.toString('base64') },
    { filename: 'doc.pdf', content: PDF.toString('base64') },
  ]);
  t.false('cc' in seen.emails[0]!, 'empty fields are dropped, as the original did');
});

test('the lines we write in version 1 are ASCII with sorted keys, as Python wrote them', async (t) => {
  const bytes = await collectBytes((out) =>
    writePackageV1({ emails: sampleEmails(1), attachments: attachmentsFromMap(SAMPLE_BLOBS) }, out),
  );
  const tar = zlib.gunzipSync(bytes);
  const line = tar.subarray(512, 512 + tar.subarray(512).indexOf(10)).toString('latin1');
  t.regex(line, /^\{"_uid":"[^"]+","attachments":\[\{"content":/);
  t.true(line.includes('\\u2014 \\u00e7a va'));
  t.false(/[^\x20-\x7e]/.test(line));
});

test('a .tar.zst we write is read by the zstd tool and by our reader', async (t) => {
  const dir = await tempDir(t);
  const bytes = await collectBytes((out) =>
    writePackageV1({ emails: sampleEmails(), attachments: attachmentsFromMap(SAMPLE_BLOBS) }, out, {
      compression: 'zstd',
    }),
  );
  await writeFile(path.join(dir, 'p.tar.zst'), bytes);
  const { stdout } = await run('zstd', ['-l', '-v', path.join(dir, 'p.tar.zst')]);
  t.regex(stdout, /Decompressed Size:/);
  await run('zstd', ['-q', '-t', path.join(dir, 'p.tar.zst')]);
  t.deepEqual(emailsOf(await readAll(bytes)), sampleEmails());
});

test('a held-back attachment cannot be written in version 1, and the error says what to do', async (t) => {
  const emails = [
    {
      ...sampleEmails(1)[0]!,
      attachments: [{ filename: 'a.jpg', size: 9, sha256: 'a'.repeat(64), deferred: true }],
    },
  ];
  const error = await t.throwsAsync(collectBytes((out) => writePackageV1({ emails }, out)));
  t.true(isLokoleError(error, 'UNSUPPORTED'));
  t.regex(error!.message, /Fetch the file first/);
});

test('a version 1 member the original never wrote is rejected', async (t) => {
  const tar = zlib.gzipSync(
    await rawTar([
      { name: 'emails.jsonl', content: '' },
      { name: 'evil.sh', content: 'rm -rf /' },
    ]),
  );
  const error = await t.throwsAsync(readAll(tar));
  t.is((error as { reason?: string }).reason, 'unexpected-member');
});

test('a version 1 attachment whose content is not base64 is rejected, naming the line', async (t) => {
  const line = JSON.stringify({
    ...originalEmails[0],
    attachments: [{ filename: 'a', content: 'not base64!' }],
  });
  const error = await t.throwsAsync(
    readAll(zlib.gzipSync(await rawTar([{ name: 'emails.jsonl', content: line }]))),
  );
  t.true(isLokoleError(error, 'PACKAGE_CORRUPT'));
  t.regex(
    error!.message,
    /Line 1 of emails\.jsonl: field "attachments\[0\]\.content": content is not base64/,
  );
});

test('a version 1 gzip bomb is stopped by the ratio guard', async (t) => {
  const bomb = zlib.gzipSync(
    await rawTar([{ name: 'emails.jsonl', content: Buffer.alloc(64 * 1024 * 1024, 0x0a) }]),
  );
  const error = await t.throwsAsync(readAll(bomb));
  t.is((error as { reason?: string }).reason, 'compression-ratio');
});

test('a .tar.zst that claims to unpack past the limit is refused before it is inflated', async (t) => {
  const error = await t.throwsAsync(
    readAll(await originalPackage(t, 'zst'), { limits: { maxTotalBytes: 4096 } }),
  );
  t.true(isLokoleError(error, 'PACKAGE_TOO_LARGE'));
});

test('a version 1 line over the email limit is rejected', async (t) => {
  const error = await t.throwsAsync(
    readAll(await originalPackage(t, 'gz'), { limits: { maxEmailBytes: 1000 } }),
  );
  t.is((error as { reason?: string }).reason, 'line-too-long');
});
