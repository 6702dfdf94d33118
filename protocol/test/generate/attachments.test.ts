import { createHash } from 'node:crypto';
import test from 'ava';
import sharp from 'sharp';
import { generateMail } from '@lokole/protocol/generate';
import type { AttachmentRef, Email } from '../../src/email.js';
import { parseEmail } from '../../src/email.js';
import { listPdfProblems, readPdfContentStreams, readZip } from './formats.js';

// The 200-email day is the expensive set (about 5 s): made once for the whole file.
const day = generateMail({ seed: 2026, count: 200, attachments: 'day' });

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const KB = 1_000;
const MB = 1_000_000;

const refsOf = (emails: Email[], type?: string): AttachmentRef[] =>
  emails.flatMap((email) => email.attachments).filter((ref) => type === undefined || ref.type === type);
const distinct = (refs: AttachmentRef[]): AttachmentRef[] => [
  ...new Map(refs.map((ref) => [ref.sha256, ref])).values(),
];

test('a 200-email day has 29 emails carrying 47 attachments', async (t) => {
  const { emails } = await day;
  t.is(emails.length, 200);
  t.is(emails.filter((email) => email.attachments.length > 0).length, 29);
  t.is(refsOf(emails).length, 47);
});

test('every attachment ref has its blob, with the same sha256 and size, and every blob is used', async (t) => {
  const { emails, blobs } = await day;
  const used = new Set<string>();
  for (const ref of refsOf(emails)) {
    const bytes = blobs.get(ref.sha256);
    if (!bytes) return t.fail(`no blob for ${ref.filename}`);
    t.is(createHash('sha256').update(bytes).digest('hex'), ref.sha256, ref.filename);
    t.is(bytes.length, ref.size, ref.filename);
    used.add(ref.sha256);
  }
  t.deepEqual([...blobs.keys()].sort(), [...used].sort());
});

test('every email of the day passes parseEmail unchanged', async (t) => {
  const { emails } = await day;
  for (const email of emails) t.deepEqual(parseEmail(email), email);
});

test('each attachment type names what its bytes are', async (t) => {
  const { emails, blobs } = await day;
  const magic: Record<string, string> = {
    'image/jpeg': 'ffd8ff',
    'image/png': '89504e470d0a1a0a',
    'application/pdf': Buffer.from('%PDF-').toString('hex'),
    [DOCX]: '504b0304',
    'text/calendar': Buffer.from('BEGIN:VCALENDAR').toString('hex'),
    'text/vcard': Buffer.from('BEGIN:VCARD').toString('hex'),
  };
  for (const ref of refsOf(emails)) {
    const expected = magic[ref.type];
    if (!expected) return t.fail(`unexpected type ${ref.type} for ${ref.filename}`);
    t.true(blobs.get(ref.sha256)!.toString('hex').startsWith(expected), ref.filename);
  }
});

test('five phone photos of 1.5 to 3 MB, one of them attached to three emails', async (t) => {
  const { emails, blobs } = await day;
  const photos = distinct(refsOf(emails, 'image/jpeg')).filter((ref) => ref.filename.startsWith('IMG_'));
  t.is(photos.length, 5);
  for (const photo of photos) {
    t.true(photo.size >= 1.5 * MB && photo.size <= 3 * MB, `${photo.filename}: ${photo.size} bytes`);
    const { width = 0, height = 0 } = await sharp(blobs.get(photo.sha256)!).metadata();
    t.true(Math.max(width, height) >= 3_000, `${photo.filename}: ${width}×${height}`);
  }
  const carriers = photos.map((photo) =>
    emails.filter((email) => email.attachments.some((ref) => ref.sha256 === photo.sha256)),
  );
  t.deepEqual(carriers.map((list) => list.length).sort(), [1, 1, 1, 1, 3]);
  const shared = carriers.find((list) => list.length === 3)!;
  t.is(shared.filter((email) => /^(fwd|tr):/i.test(email.subject)).length, 2);
});

test('a messenger image of about 140 KB and a PNG screenshot of about 85 KB', async (t) => {
  const { emails } = await day;
  const messenger = refsOf(emails, 'image/jpeg').filter((ref) =>
    /^IMG-\d{8}-WA\d{4}\.jpg$/.test(ref.filename),
  );
  t.is(messenger.length, 1);
  t.true(messenger[0]!.size >= 110 * KB && messenger[0]!.size <= 170 * KB, `${messenger[0]!.size}`);
  const screenshots = refsOf(emails, 'image/png').filter((ref) => ref.filename.startsWith('Screenshot_'));
  t.is(screenshots.length, 1);
  t.true(screenshots[0]!.size >= 65 * KB && screenshots[0]!.size <= 105 * KB, `${screenshots[0]!.size}`);
});

test('a logo of about 10 KB goes inline with ten emails, each body showing it by its cid', async (t) => {
  const { emails } = await day;
  const carriers = emails.filter((email) =>
    email.attachments.some((ref) => ref.filename === 'logo-mwinda.png'),
  );
  t.is(carriers.length, 10);
  for (const email of carriers) {
    for (const ref of email.attachments) {
      if (ref.cid === undefined) return t.fail(`${ref.filename} in "${email.subject}" has no cid`);
      t.true(email.body.includes(`src="cid:${ref.cid}"`), `${ref.filename} in "${email.subject}"`);
    }
  }
  const logo = distinct(refsOf(carriers)).find((ref) => ref.filename === 'logo-mwinda.png')!;
  t.true(logo.size >= 8 * KB && logo.size <= 13 * KB, `${logo.size}`);
  // A cid names the part within one email; mail clients make a new one per message.
  const cids = carriers.map((email) => email.attachments[0]!.cid);
  t.is(new Set(cids).size, cids.length);
});

test('seven PDF attachments of about 2.6 MB in all, one of them sent three times', async (t) => {
  const { emails } = await day;
  const pdfs = refsOf(emails, 'application/pdf');
  t.is(pdfs.length, 7);
  t.is(distinct(pdfs).length, 5);
  const total = pdfs.reduce((sum, ref) => sum + ref.size, 0);
  t.true(total >= 2.2 * MB && total <= 3 * MB, `${total} bytes`);
  t.true(distinct(pdfs).some((ref) => pdfs.filter((other) => other.sha256 === ref.sha256).length === 3));
});

test('each PDF is framed by %PDF- and %%EOF and its xref offsets point at its objects', async (t) => {
  const { emails, blobs } = await day;
  for (const ref of distinct(refsOf(emails, 'application/pdf'))) {
    const pdf = blobs.get(ref.sha256)!;
    t.deepEqual(listPdfProblems(pdf), [], ref.filename);
    t.regex(pdf.toString('latin1'), /\/Type \/Catalog/, ref.filename);
  }
});

test('the PDFs hold Flate text pages, and the large ones embedded JPEG images', async (t) => {
  const { emails, blobs } = await day;
  const pdfs = distinct(refsOf(emails, 'application/pdf')).map((ref) =>
    blobs.get(ref.sha256)!.toString('latin1'),
  );
  t.true(pdfs.every((pdf) => pdf.includes('/Filter /FlateDecode')));
  t.true(pdfs.filter((pdf) => pdf.includes('/Filter /DCTDecode')).length >= 3);
  const withText = distinct(refsOf(emails, 'application/pdf')).filter((ref) =>
    readPdfContentStreams(blobs.get(ref.sha256)!).some(
      (stream) => /\) Tj/.test(stream) && stream.length > 2_000,
    ),
  );
  t.true(withText.length >= 3);
});

test('three Word files of 37 to 236 KB are zips whose entries inflate with the right CRC', async (t) => {
  const { emails, blobs } = await day;
  const documents = refsOf(emails, DOCX);
  t.is(documents.length, 3);
  for (const ref of documents) {
    t.true(ref.filename.endsWith('.docx'));
    t.true(ref.size >= 30 * KB && ref.size <= 260 * KB, `${ref.filename}: ${ref.size}`);
    const entries = readZip(blobs.get(ref.sha256)!);
    const names = entries.map((entry) => entry.name);
    for (const name of [
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
      'word/media/image1.jpeg',
    ]) {
      t.true(names.includes(name), `${ref.filename} lacks ${name}`);
    }
    const document = entries.find((entry) => entry.name === 'word/document.xml')!.data.toString('utf8');
    t.true((document.match(/<w:p>/g) ?? []).length >= 10, ref.filename);
  }
  const sizes = documents.map((ref) => ref.size).sort((a, b) => a - b);
  t.true(sizes[0]! <= 50 * KB && sizes[2]! >= 200 * KB, sizes.join(', '));
});

test('the day weighs about 15 MB of attachments, most of it photos', async (t) => {
  const { emails, blobs } = await day;
  const all = refsOf(emails).reduce((sum, ref) => sum + ref.size, 0);
  const unique = [...blobs.values()].reduce((sum, bytes) => sum + bytes.length, 0);
  const photos = distinct(refsOf(emails, 'image/jpeg')).reduce((sum, ref) => sum + ref.size, 0);
  t.true(all >= 13 * MB && all <= 19 * MB, `${all} bytes attached`);
  t.true(unique >= 11 * MB && unique <= 15 * MB, `${unique} bytes unique`);
  t.true(photos > unique * 0.6);
});
