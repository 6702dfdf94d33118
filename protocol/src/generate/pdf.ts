import { deflateSync } from 'node:zlib';
import { wrapWords } from './texts.js';

/**
 * A small PDF writer: A4 pages of Helvetica text in FlateDecode content
 * streams, JPEG images as DCTDecode XObjects, and an exact cross-reference
 * table. Enough for readers (and our preview code) to open the file; no fonts
 * are embedded because Helvetica is one of the standard 14.
 */

export interface PdfImage {
  jpeg: Buffer;
  width: number;
  height: number;
  isGray?: boolean;
}

export type PdfBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'image'; image: PdfImage; /** Fill the page, as a scanned sheet does. */ isFullPage?: boolean };

export interface PdfDocument {
  title: string;
  author: string;
  created: Date;
  /** Sixteen bytes that identify the file (the trailer's /ID). */
  id: Buffer;
  blocks: PdfBlock[];
}

const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN = 72;
const FONT_SIZE = 10.5;
const LEADING = 14;
const WRAP_COLUMNS = 88;

// WinAnsiEncoding places these where Latin-1 has control codes.
const WIN_ANSI: Record<string, number> = {
  '€': 0x80,
  '…': 0x85,
  Œ: 0x8c,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  œ: 0x9c,
};

/** A PDF literal string, `(…)`, in WinAnsiEncoding. */
function toPdfString(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    let byte: number;
    if (WIN_ANSI[char] !== undefined) byte = WIN_ANSI[char];
    else if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) byte = code;
    else byte = 0x3f; // '?': the standard fonts cannot show it
    const mapped = String.fromCharCode(byte);
    out += mapped === '\\' || mapped === '(' || mapped === ')' ? `\\${mapped}` : mapped;
  }
  return `(${out})`;
}

/** A PDF text string for the document information: UTF-16BE with a byte-order mark. */
function toPdfTextString(text: string): string {
  const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return `<${utf16.toString('hex').toUpperCase()}>`;
}

function toPdfDate(date: Date): string {
  return `(D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z)`;
}

interface Page {
  operators: string[];
  images: number[];
}

/** Lays the blocks out top to bottom, opening a new page when one is full. */
function layOut(blocks: PdfBlock[], images: PdfImage[]): Page[] {
  const pages: Page[] = [];
  let page: Page = { operators: [], images: [] };
  let y = PAGE_HEIGHT - MARGIN;
  const newPage = (): void => {
    pages.push(page);
    page = { operators: [], images: [] };
    y = PAGE_HEIGHT - MARGIN;
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      if (y < MARGIN + 60) newPage();
      page.operators.push(`BT /F2 15 Tf ${MARGIN} ${y - 15} Td ${toPdfString(block.text)} Tj ET`);
      y -= 30;
    } else if (block.kind === 'paragraph') {
      for (const line of wrapWords(block.text, WRAP_COLUMNS)) {
        if (y < MARGIN + LEADING) newPage();
        page.operators.push(
          `BT /F1 ${FONT_SIZE} Tf ${MARGIN} ${y - FONT_SIZE} Td ${toPdfString(line)} Tj ET`,
        );
        y -= LEADING;
      }
      y -= 8;
    } else {
      const index = images.indexOf(block.image);
      const fit = block.isFullPage
        ? Math.min(PAGE_WIDTH / block.image.width, PAGE_HEIGHT / block.image.height)
        : Math.min((PAGE_WIDTH - 2 * MARGIN) / block.image.width, 380 / block.image.height);
      const w = Math.round(block.image.width * fit);
      const h = Math.round(block.image.height * fit);
      if (block.isFullPage) {
        if (page.operators.length > 0) newPage();
        page.operators.push(
          `q ${w} 0 0 ${h} ${(PAGE_WIDTH - w) / 2} ${(PAGE_HEIGHT - h) / 2} cm /Im${index} Do Q`,
        );
        page.images.push(index);
        newPage();
        continue;
      }
      if (y - h < MARGIN) newPage();
      page.operators.push(`q ${w} 0 0 ${h} ${MARGIN} ${y - h} cm /Im${index} Do Q`);
      if (!page.images.includes(index)) page.images.push(index);
      y -= h + 14;
    }
  }
  if (page.operators.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

export function writePdf(document: PdfDocument): Buffer {
  const images = [
    ...new Set(document.blocks.flatMap((block) => (block.kind === 'image' ? [block.image] : []))),
  ];
  const pages = layOut(document.blocks, images);

  // Object numbers: 1 catalog, 2 pages, 3–4 fonts, 5 info, then images, then a page and its contents per page.
  const firstImage = 6;
  const firstPage = firstImage + images.length;
  const pageObject = (k: number): number => firstPage + 2 * k;
  const objects: Buffer[] = [];
  const add = (body: string | Buffer): void => {
    const number = objects.length + 1;
    objects.push(
      Buffer.concat([
        Buffer.from(`${number} 0 obj\n`, 'latin1'),
        typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
        Buffer.from('\nendobj\n', 'latin1'),
      ]),
    );
  };
  const stream = (dictionary: string, data: Buffer): Buffer =>
    Buffer.concat([
      Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream', 'latin1'),
    ]);

  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(
    `<< /Type /Pages /Kids [${pages.map((_, k) => `${pageObject(k)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
  );
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  add(
    `<< /Title ${toPdfTextString(document.title)} /Author ${toPdfTextString(document.author)} ` +
      `/Producer (Lokole test-mail generator) /CreationDate ${toPdfDate(document.created)} >>`,
  );
  for (const image of images) {
    add(
      stream(
        `/Type /XObject /Subtype /Image /Width ${image.width} /Height ${image.height} ` +
          `/ColorSpace ${image.isGray ? '/DeviceGray' : '/DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode`,
        image.jpeg,
      ),
    );
  }
  pages.forEach((page, k) => {
    const xobjects = page.images.map((index) => `/Im${index} ${firstImage + index} 0 R`).join(' ');
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >>${xobjects ? ` /XObject << ${xobjects} >>` : ''} >> /Contents ${pageObject(k) + 1} 0 R >>`,
    );
    const footer = `BT /F1 9 Tf ${PAGE_WIDTH / 2 - 20} 40 Td ${toPdfString(`Page ${k + 1} / ${pages.length}`)} Tj ET`;
    add(
      stream(
        '/Filter /FlateDecode',
        deflateSync(Buffer.from([...page.operators, footer].join('\n'), 'latin1')),
      ),
    );
  });

  // The second line's high bytes tell transfer tools the file is binary.
  const header = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const offsets: number[] = [];
  let offset = header.length;
  for (const object of objects) {
    offsets.push(offset);
    offset += object.length;
  }
  const id = document.id.toString('hex').toUpperCase();
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R /ID [<${id}> <${id}>] >>\n` +
    `startxref\n${offset}\n%%EOF\n`;
  return Buffer.concat([header, ...objects, Buffer.from(xref, 'latin1')]);
}
