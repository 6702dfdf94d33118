import test from 'ava';
import sharp from 'sharp';
import { writePdf, type PdfDocument } from '../../src/generate/pdf.js';
import { listPdfProblems, readPdfContentStreams } from './formats.js';

const base: Omit<PdfDocument, 'blocks'> = {
  title: 'Procès-verbal – réunion',
  author: 'Grâce Mbuyi',
  created: new Date('2026-10-30T09:00:00Z'),
  id: Buffer.alloc(16, 7),
};

const tinyJpeg = (): Promise<Buffer> =>
  sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .toBuffer();

test('a PDF with a heading, text and an image has xref offsets that point at each object', async (t) => {
  const pdf = writePdf({
    ...base,
    blocks: [
      { kind: 'heading', text: 'Rapport' },
      { kind: 'paragraph', text: 'Le centre de santé de Bukavu manque de gants.' },
      { kind: 'image', image: { jpeg: await tinyJpeg(), width: 8, height: 6 } },
    ],
  });
  t.deepEqual(listPdfProblems(pdf), []);
  t.regex(
    pdf.toString('latin1'),
    /\/Subtype \/Image \/Width 8 \/Height 6 \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Filter \/DCTDecode/,
  );
});

test('the cross-reference check catches an offset that is one byte off', (t) => {
  const pdf = writePdf({ ...base, blocks: [{ kind: 'paragraph', text: 'Mbote' }] });
  const text = pdf.toString('latin1');
  const entry = /\n(\d{10}) 00000 n\r\n/.exec(text)!;
  const broken = text.replace(entry[0], `\n${String(Number(entry[1]) + 1).padStart(10, '0')} 00000 n\r\n`);
  t.notDeepEqual(listPdfProblems(Buffer.from(broken, 'latin1')), []);
});

test('parentheses and backslashes are escaped and accents are written in WinAnsi', (t) => {
  const pdf = writePdf({
    ...base,
    blocks: [{ kind: 'paragraph', text: 'Prix (en $) : 5\\6, l’école, 10 €, ŋ' }],
  });
  const [content] = readPdfContentStreams(pdf);
  t.true(
    content!.includes('(Prix \\(en $\\) : 5\\\\6, l\x92\xe9cole, 10 \x80, ?) Tj'),
    JSON.stringify(content),
  );
});

test('long text flows onto as many pages as it needs, each numbered', (t) => {
  const paragraph = 'Nous avons distribué cent moustiquaires aux familles de Matete. '.repeat(12);
  const pdf = writePdf({
    ...base,
    blocks: Array.from({ length: 30 }, () => ({ kind: 'paragraph' as const, text: paragraph })),
  });
  const text = pdf.toString('latin1');
  const count = Number(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(text)![1]);
  t.true(count >= 4, `${count} pages`);
  t.is((text.match(/\/Type \/Page /g) ?? []).length, count);
  const streams = readPdfContentStreams(pdf);
  t.is(streams.length, count);
  t.true(streams.at(-1)!.includes(`(Page ${count} / ${count})`));
  t.deepEqual(listPdfProblems(pdf), []);
});

test('the title is stored as UTF-16 so that it keeps its accents', (t) => {
  const pdf = writePdf({ ...base, blocks: [] });
  const hex = /\/Title <([0-9A-F]+)>/.exec(pdf.toString('latin1'))![1]!;
  t.is(Buffer.from(hex, 'hex').swap16().toString('utf16le'), '\ufeffProcès-verbal – réunion');
  t.deepEqual(listPdfProblems(pdf), []);
});
