import { createHash } from 'node:crypto';
import test from 'ava';
import { generateMail, type GeneratedMail } from '@lokole/protocol/generate';
import { parseEmail } from '../../src/email.js';

// One 1,000-email text set for the statistics, made once for the file.
const thousand = generateMail({ seed: 1, count: 1_000 });

const toJsonl = (mail: GeneratedMail): string => mail.emails.map((email) => JSON.stringify(email)).join('\n');
const hashBlobs = (mail: GeneratedMail): string[] =>
  [...mail.blobs.values()].map((bytes) => createHash('sha256').update(bytes).digest('hex'));

const percentile = (sorted: number[], p: number): number => sorted[Math.floor(p * (sorted.length - 1))]!;

test('the same seed and options give byte-identical emails', async (t) => {
  const a = await generateMail({ seed: 11, count: 300 });
  const b = await generateMail({ seed: 11, count: 300 });
  t.is(toJsonl(a), toJsonl(b));
});

test('a different seed gives different emails', async (t) => {
  const a = await generateMail({ seed: 11, count: 50 });
  const b = await generateMail({ seed: 12, count: 50 });
  t.not(toJsonl(a), toJsonl(b));
  t.false(a.emails.some((email, k) => email.body === b.emails[k]!.body));
});

test('a small day set is deterministic, attachment bytes included', async (t) => {
  const a = await generateMail({ seed: 5, count: 20, attachments: 'day' });
  const b = await generateMail({ seed: 5, count: 20, attachments: 'day' });
  t.is(toJsonl(a), toJsonl(b));
  t.deepEqual(hashBlobs(a), hashBlobs(b));
  t.deepEqual([...a.blobs.keys()], hashBlobs(a));
  const c = await generateMail({ seed: 6, count: 20, attachments: 'day' });
  t.notDeepEqual(hashBlobs(c), hashBlobs(a));
});

test('a day set of 20 emails still carries one of each kind of attachment', async (t) => {
  const { emails } = await generateMail({ seed: 5, count: 20, attachments: 'day' });
  const types = new Set(emails.flatMap((email) => email.attachments.map((ref) => ref.type)));
  for (const type of [
    'image/jpeg',
    'image/png',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ]) {
    t.true(types.has(type), type);
  }
  t.true(emails.some((email) => email.attachments.some((ref) => ref.cid !== undefined)));
});

test('every generated email passes parseEmail unchanged', async (t) => {
  const { emails } = await thousand;
  for (const email of emails) t.deepEqual(parseEmail(email), email);
});

test('text-only mail carries no attachments and no blobs', async (t) => {
  const { emails, blobs } = await thousand;
  t.is(blobs.size, 0);
  t.true(emails.every((email) => email.attachments.length === 0));
  t.false(emails.some((email) => email.body.includes('cid:')));
});

test('body sizes look like real mail: a median near 1 KB and a long tail below 30 KB', async (t) => {
  const { emails } = await thousand;
  const sizes = emails.map((email) => Buffer.byteLength(email.body)).sort((a, b) => a - b);
  const median = percentile(sizes, 0.5);
  t.true(median >= 500 && median <= 2_000, `median ${median}`);
  t.true(percentile(sizes, 0.1) < 500, `p10 ${percentile(sizes, 0.1)}`);
  t.true(percentile(sizes, 0.99) > 8_000, `p99 ${percentile(sizes, 0.99)}`);
  t.true(sizes.at(-1)! <= 30_000, `max ${sizes.at(-1)}`);
});

test('the text is not a handful of repeated sentences', async (t) => {
  const { emails } = await thousand;
  const counts = new Map<string, number>();
  for (const email of emails) {
    const text = email.body.replace(/<[^>]+>/g, '\n');
    for (const sentence of text.split(/\n|(?<=[.!?])\s+/)) {
      if (sentence.length > 20 && !sentence.startsWith('&gt;'))
        counts.set(sentence, (counts.get(sentence) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  t.true(counts.size >= 3_000, `${counts.size} distinct sentences`);
  t.true(Math.max(...counts.values()) < total * 0.02);
});

test('a thousand text emails weigh 2 to 4 KB each as JSON lines', async (t) => {
  const bytes = Buffer.byteLength(toJsonl(await thousand));
  t.true(bytes >= 2_000_000 && bytes <= 4_000_000, `${bytes} bytes`);
});

test('about a fifth of the bodies are webmail HTML and the rest simple paragraphs', async (t) => {
  const { emails } = await thousand;
  const html = emails.filter((email) => email.body.startsWith('<div'));
  const paragraphs = emails.filter((email) => email.body.startsWith('<p>'));
  t.is(html.length + paragraphs.length, emails.length);
  t.true(html.length >= 120 && html.length <= 300, `${html.length} HTML bodies`);
  t.true(html.some((email) => email.body.includes('<b>')));
  t.true(html.some((email) => email.body.includes('<blockquote')));
  t.true(emails.some((email) => /<a href="https:\/\//.test(email.body)));
});

test('many emails are replies or forwards that quote the earlier message', async (t) => {
  const { emails } = await thousand;
  const replies = emails.filter((email) => /^re:/i.test(email.subject));
  const forwards = emails.filter((email) => /^(fwd|tr):/i.test(email.subject));
  t.true(replies.length >= 300, `${replies.length} replies`);
  t.true(forwards.length >= 10, `${forwards.length} forwards`);
  const quoting = replies.filter((email) =>
    /a écrit :|wrote:|Message d'origine|Original Message/.test(email.body),
  );
  t.true(quoting.length >= replies.length * 0.8, `${quoting.length} of ${replies.length} quote`);
  t.true(emails.some((email) => email.body.includes('&gt; ')));
  t.true(
    emails.some((email) => /Le (lun|mar|mer|jeu|ven|sam|dim)\. \d+ [a-zéû]+\.? 20\d\d/.test(email.body)),
  );
});

test('the mail mixes French, Lingala, Swahili and English', async (t) => {
  const bodies = (await thousand).emails.map((email) => email.body).join('\n');
  for (const word of ['Bonjour', 'Mbote', 'matondo', 'Habari', 'asante', 'Thanks', 'Kinshasa', 'Goma']) {
    t.true(bodies.toLowerCase().includes(word.toLowerCase()), word);
  }
});

test('local users are first.last at the device domain and correspondents are elsewhere', async (t) => {
  const { emails } = await generateMail({ seed: 3, count: 200, domain: 'goma.lokole.ca' });
  const addresses = emails.flatMap((email) => [email.from, ...email.to, ...email.cc, ...email.bcc]);
  const local = addresses.filter((address) => address.endsWith('@goma.lokole.ca'));
  t.true(local.length > addresses.length * 0.3);
  t.true(
    local.every((address) => /^[a-z-]+\.[a-z-]+@goma\.lokole\.ca$/.test(address)),
    local.find((a) => !/^[a-z-]+\.[a-z-]+@/.test(a)),
  );
  t.true(addresses.some((address) => address.endsWith('@gmail.com')));
  t.false(addresses.some((address) => address.endsWith('@kinshasa.lokole.ca')));
});

test('to holds 1 to 3 addresses, cc appears sometimes and bcc rarely', async (t) => {
  const { emails } = await thousand;
  t.true(emails.every((email) => email.to.length >= 1 && email.to.length <= 3));
  t.true(emails.some((email) => email.to.length === 3));
  const cc = emails.filter((email) => email.cc.length > 0).length;
  const bcc = emails.filter((email) => email.bcc.length > 0).length;
  t.true(cc >= 80 && cc <= 400, `${cc} with cc`);
  t.true(bcc >= 5 && bcc <= 60, `${bcc} with bcc`);
  t.true(emails.every((email) => !email.to.includes(email.from)));
});

test('sent_at starts at the given time and the rest follow in order within one day', async (t) => {
  const start = new Date('2027-01-15T05:30:00Z');
  const { emails } = await generateMail({ seed: 4, count: 300, start });
  t.is(emails[0]!.sent_at, '2027-01-15 05:30');
  const times = emails.map((email) => new Date(`${email.sent_at!.replace(' ', 'T')}:00Z`).getTime());
  t.true(times.every((time, k) => k === 0 || time >= times[k - 1]!));
  t.true(times.at(-1)! - times[0]! < 24 * 3_600_000);
  t.true(times.at(-1)! - times[0]! > 12 * 3_600_000);
});

test('each _uid looks like a UUID v4 and none repeats', async (t) => {
  const { emails } = await thousand;
  const uids = emails.map((email) => email._uid);
  t.true(
    uids.every((uid) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uid)),
  );
  t.is(new Set(uids).size, uids.length);
});

test('bad options are refused before any work', async (t) => {
  await t.throwsAsync(generateMail({ seed: 1.5, count: 3 }), { instanceOf: RangeError, message: /seed/ });
  await t.throwsAsync(generateMail({ seed: 1, count: -1 }), { instanceOf: RangeError, message: /count/ });
  await t.throwsAsync(generateMail({ seed: 1, count: 1, start: new Date('nope') }), {
    instanceOf: RangeError,
    message: /start/,
  });
  t.deepEqual((await generateMail({ seed: 1, count: 0 })).emails, []);
});
