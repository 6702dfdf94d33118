import test from 'ava';
import sharp from 'sharp';
import { writeDocx, type DocxDocument } from '../../src/generate/docx.js';
import { readZip } from './formats.js';

const document: DocxDocument = {
  title: 'Devis & budget',
  author: 'Papy Kalala',
  created: new Date('2026-10-01T08:00:00Z'),
  paragraphs: [
    { text: 'Devis & budget', style: 'Title' },
    { text: 'Objet', style: 'Heading1' },
    { text: 'Le prix <estimé> du ciment est de 14 000 FC.' },
  ],
};

const read = (docx: Buffer): Map<string, string> =>
  new Map(readZip(docx).map((entry) => [entry.name, entry.data.toString('utf8')]));

test('paragraphs keep their style and their text is escaped for XML', (t) => {
  const xml = read(writeDocx(document)).get('word/document.xml')!;
  t.true(
    xml.includes('<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">Devis &amp; budget</w:t>'),
  );
  t.true(xml.includes('<w:pStyle w:val="Heading1"/>'));
  t.true(xml.includes('Le prix &lt;estimé&gt; du ciment est de 14 000 FC.'));
});

test('an image is declared, related from the document and stored in word/media', async (t) => {
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
  const docx = writeDocx({ ...document, image: { jpeg, width: 40, height: 30 } });
  const parts = read(docx);
  t.true(parts.get('[Content_Types].xml')!.includes('<Default Extension="jpeg" ContentType="image/jpeg"/>'));
  const id = /r:embed="([^"]+)"/.exec(parts.get('word/document.xml')!)![1];
  t.regex(
    parts.get('word/_rels/document.xml.rels')!,
    new RegExp(`Id="${id}" Type="[^"]+/image" Target="media/image1.jpeg"`),
  );
  t.true(
    readZip(docx)
      .find((entry) => entry.name === 'word/media/image1.jpeg')!
      .data.equals(jpeg),
  );
});

test('without an image the package names no media', (t) => {
  const parts = read(writeDocx(document));
  t.false([...parts.keys()].some((name) => name.startsWith('word/media/')));
  t.false(parts.get('[Content_Types].xml')!.includes('jpeg'));
  t.false(parts.get('word/document.xml')!.includes('<w:drawing>'));
});

test('the document properties carry the title, the author and the creation time', (t) => {
  const core = read(writeDocx(document)).get('docProps/core.xml')!;
  t.true(core.includes('<dc:title>Devis &amp; budget</dc:title>'));
  t.true(core.includes('<dc:creator>Papy Kalala</dc:creator>'));
  t.true(core.includes('>2026-10-01T08:00:00Z</dcterms:created>'));
});
