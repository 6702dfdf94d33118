import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import {
  attachmentsFromMap,
  readPackage,
  sha256Hex,
  writePackage,
  writePackageV1,
  type Email,
  type EmailInput,
} from '../../src/index.js';

const PROTOCOL = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join('bin', 'lokole-package.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command, as a technician would, and never rejects: the exit code is what we test. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: PROTOCOL }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function tempFolder(t: ExecutionContext): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'lokole-cli-test-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

// Not all one byte value, so that a flipped byte changes the hash whatever its position.
const photo = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 31 + (index >> 8)) % 251));
const pdf = Buffer.from('%PDF-1.4\nthe minutes of the meeting\n%%EOF\n');
const blobs = new Map([
  [sha256Hex(photo), photo],
  [sha256Hex(pdf), pdf],
]);

const emails: EmailInput[] = [
  {
    _uid: 'b5a1c1d0-market',
    sent_at: '2026-03-02 09:15',
    from: 'ana@example.org',
    to: ['bob@example.org'],
    subject: 'Photos from the market',
    body: '<p>Here they are.</p>',
    attachments: [
      {
        filename: 'market.jpg',
        type: 'image/jpeg',
        size: photo.length,
        sha256: sha256Hex(photo),
        cid: 'img1',
      },
      { filename: 'minutes.pdf', type: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf) },
    ],
  },
  {
    _uid: 'c7e2-minutes',
    sent_at: '2026-03-02 10:40',
    from: 'bob@example.org',
    to: ['ana@example.org', 'carl@example.org'],
    cc: ['dina@example.org'],
    subject: 'Re: the minutes, é à ü',
    body: 'Thanks, the same file again.',
    attachments: [
      { filename: 'minutes.pdf', type: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf) },
    ],
  },
];

const heldBack: EmailInput = {
  _uid: 'd9-held',
  from: 'eve@example.org',
  to: ['ana@example.org'],
  subject: 'The big report',
  body: '',
  attachments: [
    {
      filename: 'report.pdf',
      type: 'application/pdf',
      size: 5 * 1024 * 1024,
      sha256: 'a'.repeat(64),
      deferred: true,
    },
  ],
};

async function writeV2(file: string, list: EmailInput[] = emails): Promise<void> {
  await writePackage(
    { kind: 'download', device: 'pi-test', emails: list, attachments: attachmentsFromMap(blobs) },
    createWriteStream(file),
  );
}

async function writeV1(file: string): Promise<void> {
  await writePackageV1({ emails, attachments: attachmentsFromMap(blobs) }, createWriteStream(file), {
    compression: 'gzip',
  });
}

/** What a reader makes of a package: the emails and the bytes of every attachment. */
async function contentsOf(file: string): Promise<{ emails: Email[]; attachments: Map<string, Buffer> }> {
  const found = { emails: [] as Email[], attachments: new Map<string, Buffer>() };
  for await (const item of readPackage(createReadStream(file))) {
    if (item.type === 'email') found.emails.push(item.email);
    if (item.type === 'attachment') {
      const parts: Buffer[] = [];
      for await (const chunk of item.content) parts.push(chunk);
      found.attachments.set(item.sha256, Buffer.concat(parts));
    }
  }
  return found;
}

/** A v2 package whose photo member has one byte changed: the tar is sound, the hash is not. */
async function writeCorrupt(file: string): Promise<void> {
  await writeV2(file);
  const bytes = await readFile(file);
  const header = bytes.indexOf(`attachments/${sha256Hex(photo)}`);
  bytes[header + 512 + 1000]! ^= 0xff;
  await writeFile(file, bytes);
}

test('inspect prints the version, the manifest and the counts of a version 2 package', async (t) => {
  const file = path.join(await tempFolder(t), 'download.tar');
  await writeV2(file);
  const { code, stdout } = await run(['inspect', file]);
  t.is(code, 0);
  t.regex(stdout, /version 2, text compressed with br/);
  t.regex(stdout, /manifest: download of device pi-test/);
  t.regex(stdout, /2 emails, 2 attachments \(293(\.\d)? KiB\), 0 users/);
});

test('inspect lists each email with its uid, addresses, subject and attachment sizes', async (t) => {
  const file = path.join(await tempFolder(t), 'download.tar');
  await writeV2(file);
  const { stdout } = await run(['inspect', file]);
  t.regex(stdout, /^b5a1c1d0-market {2}ana@example\.org -> bob@example\.org {2}Photos from the market$/m);
  t.regex(
    stdout,
    /^c7e2-minutes {2}bob@example\.org -> ana@example\.org, carl@example\.org, dina… {2}Re: the minutes, é à ü$/m,
  );
  t.regex(stdout, /^ {4}market\.jpg {2}293(\.\d)? KiB$/m);
  t.regex(stdout, /^ {4}minutes\.pdf {2}42 B$/m);
});

test('inspect marks an attachment that stayed in the cloud as held back', async (t) => {
  const file = path.join(await tempFolder(t), 'download.tar');
  await writeV2(file, [heldBack]);
  const { code, stdout } = await run(['inspect', file]);
  t.is(code, 0);
  t.regex(stdout, /^ {4}report\.pdf {2}5 MiB, held back$/m);
});

test('inspect cuts a long subject so that the line stays near 100 columns', async (t) => {
  const file = path.join(await tempFolder(t), 'download.tar');
  await writeV2(file, [{ ...heldBack, subject: 'word '.repeat(60), attachments: [] }]);
  const { stdout } = await run(['inspect', file]);
  const line = stdout.split('\n').find((text) => text.startsWith('d9-held'));
  t.truthy(line?.endsWith('…'));
  t.true([...line!].length <= 100);
});

test('inspect --json prints one document with info, counts, emails and attachment sizes', async (t) => {
  const file = path.join(await tempFolder(t), 'download.tar');
  await writeV2(file);
  const { code, stdout } = await run(['inspect', '--json', file]);
  t.is(code, 0);
  const document = JSON.parse(stdout) as Record<string, unknown>;
  t.deepEqual(Object.keys(document), [
    'info',
    'counts',
    'emails',
    'attachments',
    'users',
    'reports',
    'requests',
  ]);
  t.like(document, {
    info: { version: 2, compression: 'br', manifest: { kind: 'download', device: 'pi-test' } },
    counts: { emails: 2, attachments: 2, users: 0, reports: 0, requests: 0 },
  });
  const listed = document as unknown as { emails: Email[]; attachments: { sha256: string; size: number }[] };
  t.deepEqual(
    listed.emails.map((email) => [email._uid, email.subject]),
    [
      ['b5a1c1d0-market', 'Photos from the market'],
      ['c7e2-minutes', 'Re: the minutes, é à ü'],
    ],
  );
  t.deepEqual(
    new Set(listed.attachments.map(({ sha256, size }) => `${sha256}:${size}`)),
    new Set([`${sha256Hex(photo)}:${photo.length}`, `${sha256Hex(pdf)}:${pdf.length}`]),
  );
});

test('inspect reads an original Lokole .tar.gz package', async (t) => {
  const file = path.join(await tempFolder(t), 'upload.tar.gz');
  await writeV1(file);
  const { code, stdout } = await run(['inspect', file]);
  t.is(code, 0);
  t.regex(stdout, /version 1 \(original Lokole\), compressed with gzip/);
  t.regex(stdout, /2 emails, 2 attachments/);
  t.regex(stdout, /^b5a1c1d0-market {2}ana@example\.org/m);
  t.regex(stdout, /^ {4}market\.jpg {2}293(\.\d)? KiB$/m);
});

test('inspect rejects a package whose attachment does not match its hash, with exit code 65', async (t) => {
  const file = path.join(await tempFolder(t), 'corrupt.tar');
  await writeCorrupt(file);
  const { code, stdout, stderr } = await run(['inspect', file]);
  t.is(code, 65);
  t.is(stdout, '');
  t.regex(stderr, new RegExp(`^lokole-package: Attachment ${sha256Hex(photo)} does not match its name`));
});

test('inspect of a file that does not exist exits with 66 and names the path', async (t) => {
  const file = path.join(await tempFolder(t), 'nowhere.tar');
  const { code, stderr } = await run(['inspect', file]);
  t.is(code, 66);
  t.true(stderr.includes(file));
});

const isUsageError = test.macro({
  async exec(t, args: string[]) {
    const { code, stderr } = await run(args);
    t.is(code, 64);
    t.regex(stderr, /^lokole-package: .*\nRun "lokole-package --help" for usage\./);
  },
  title: (_title, args: string[]) => `"lokole-package ${args.join(' ')}" is a usage error`,
});

test(isUsageError, ['frobnicate']);
test(isUsageError, ['constructor']);
test(isUsageError, ['inspect']);
test(isUsageError, ['inspect', '--verbose', 'a.tar']);
test(isUsageError, ['convert', 'in.tar', 'out.tar']);
test(isUsageError, ['convert', '--to', '3', 'in.tar', 'out.tar']);
test(isUsageError, ['convert', '--to', '2', '--zstd', 'in.tar', 'out.tar']);
test(isUsageError, ['convert', '--to', '2', '--kind', 'sideways', 'in.tar', 'out.tar']);

test('--help prints the usage and exits with 0', async (t) => {
  const { code, stdout } = await run(['--help']);
  t.is(code, 0);
  t.regex(stdout, /^Usage: lokole-package <command>/);
});

test('convert to version 1 and back to version 2 keeps every email and attachment byte', async (t) => {
  const folder = await tempFolder(t);
  const [original, v1, back] = ['original.tar', 'v1.tar.gz', 'back.tar'].map((name) =>
    path.join(folder, name),
  ) as [string, string, string];
  await writeV2(original);

  const down = await run(['convert', '--to', '1', original, v1]);
  t.is(down.code, 0);
  t.regex(down.stdout, new RegExp(`^wrote ${v1}: \\d+ bytes, version 1\\n$`));
  const up = await run(['convert', '--to', '2', '--device', 'pi-test', v1, back]);
  t.is(up.code, 0);
  t.regex(up.stdout, /, version 2\n$/);

  const before = await contentsOf(original);
  const after = await contentsOf(back);
  t.deepEqual(after.emails, before.emails);
  t.deepEqual(after.attachments, before.attachments);
  t.deepEqual(await readdir(folder), ['back.tar', 'original.tar', 'v1.tar.gz']);
});

test('convert of a corrupt package exits with 65 and leaves no output file behind', async (t) => {
  const folder = await tempFolder(t);
  const file = path.join(folder, 'corrupt.tar');
  await writeCorrupt(file);
  const { code, stdout } = await run(['convert', '--to', '1', file, path.join(folder, 'out.tar.gz')]);
  t.is(code, 65);
  t.is(stdout, '');
  t.deepEqual(await readdir(folder), ['corrupt.tar']);
});

test('convert to version 1 of a package with a held-back attachment exits with 69', async (t) => {
  const folder = await tempFolder(t);
  const file = path.join(folder, 'download.tar');
  await writeV2(file, [heldBack]);
  const { code, stderr } = await run(['convert', '--to', '1', file, path.join(folder, 'out.tar.gz')]);
  t.is(code, 69);
  t.regex(stderr, /held-back attachment \(report\.pdf\)/);
  t.deepEqual(await readdir(folder), ['download.tar']);
});
