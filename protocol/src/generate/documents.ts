import { writeDocx, type DocxParagraph } from './docx.js';
import { encodeJpegNear, makeFigure, type Pixels } from './photo.js';
import { writePdf, type PdfBlock } from './pdf.js';
import type { Random } from './random.js';
import {
  CITIES,
  FIRST_NAMES,
  LAST_NAMES,
  ORGANISATIONS,
  formatPhone,
  toAddressPart,
  writeSentence,
  MONTHS,
} from './texts.js';
import { writeParagraphs } from './body.js';

/**
 * The documents people attach: circulars, reports and scans as PDF, a CV and
 * minutes as Word files, a calendar invitation, a contact card. Sizes follow
 * the benchmark day: text is small, so an embedded JPEG brings each file to
 * the weight that real ones have.
 */

export interface Document {
  bytes: Buffer;
  filename: string;
  type: string;
  /** What an email about this document would say in its subject. */
  title: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function toFilePart(text: string): string {
  return text
    .split(/\s+/)
    .map((word) => toAddressPart(word))
    .filter((word) => word !== '')
    .map((word) =>
      word.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase()),
    )
    .join('_');
}

function writeTextBlocks(random: Random, paragraphs: number, headings: readonly string[]): PdfBlock[] {
  const blocks: PdfBlock[] = [];
  const perSection = Math.max(1, Math.ceil(paragraphs / headings.length));
  for (let i = 0; i < paragraphs; i++) {
    if (i % perSection === 0 && headings[i / perSection] !== undefined)
      blocks.push({ kind: 'heading', text: headings[i / perSection]! });
    blocks.push({ kind: 'paragraph', text: writeParagraphs(random, 'fr', random.int(300, 900)).join(' ') });
  }
  return blocks;
}

interface PdfRecipe {
  bytes: number;
  figures: number;
  paragraphs: number;
  name(random: Random, month: string): { title: string; filename: string };
  headings: readonly string[];
}

// Cycled by index; a 200-email day uses each once (the circular three times).
const PDF_RECIPES: PdfRecipe[] = [
  {
    bytes: 265_000,
    figures: 1,
    paragraphs: 8,
    name: (random) => {
      const n = random.int(10, 48);
      const topic = random.pick([
        'Rentrée scolaire',
        'Campagne de vaccination',
        'Calendrier des examens',
        'Cotisations des membres',
      ]);
      return { title: `Circulaire n° ${n}/2026 – ${topic}`, filename: `Circulaire_${n}_2026.pdf` };
    },
    headings: ['Objet', 'Dispositions pratiques'],
  },
  {
    bytes: 1_000_000,
    figures: 3,
    paragraphs: 36,
    name: (_random, month) => ({
      title: `Rapport d'activités – ${month} 2026`,
      filename: `Rapport_activites_${month}_2026.pdf`,
    }),
    headings: ['Résumé', 'Activités réalisées', 'Difficultés rencontrées', 'Finances', 'Perspectives'],
  },
  {
    bytes: 560_000,
    figures: 2,
    paragraphs: 18,
    name: (random) => {
      const city = random.pick(CITIES);
      return {
        title: `Programme de formation – ${city}`,
        filename: `Programme_formation_${toFilePart(city)}.pdf`,
      };
    },
    headings: ['Contexte', 'Programme', 'Logistique'],
  },
  {
    bytes: 180_000,
    figures: 0,
    paragraphs: 0,
    name: (random) => {
      const when = `${pad(random.int(1, 28))}-${pad(random.int(9, 10))}-2026 ${pad(random.int(8, 18))}.${pad(random.int(0, 59))}`;
      return { title: 'Attestation scannée', filename: `CamScanner ${when}.pdf` };
    },
    headings: [],
  },
  {
    bytes: 0,
    figures: 0,
    paragraphs: 60,
    name: (random) => {
      const organisation = random.pick(ORGANISATIONS);
      return { title: `Statuts – ${organisation}`, filename: `Statuts_${toFilePart(organisation)}.pdf` };
    },
    headings: [
      'Titre I – Dénomination et siège',
      'Titre II – Objet',
      'Titre III – Membres',
      'Titre IV – Organes',
      'Titre V – Ressources',
      'Titre VI – Dispositions finales',
    ],
  },
];

export async function makePdf(random: Random, index: number, created: Date): Promise<Document> {
  const recipe = PDF_RECIPES[index % PDF_RECIPES.length]!;
  const month = MONTHS.fr[(created.getUTCMonth() + 11) % 12]!;
  const { title, filename } = recipe.name(random, month);
  const author = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const id = random.bytes(16);
  const text = writeTextBlocks(random, recipe.paragraphs, recipe.headings);
  const base = { title, author, created, id };

  if (recipe.figures === 0 && recipe.paragraphs === 0) {
    const scan = paintScan(random, 1240, 1754);
    const jpeg = await encodeJpegNear(scan, { bytes: recipe.bytes, tolerance: 0.08, quality: 60 });
    const bytes = writePdf({
      ...base,
      blocks: [
        {
          kind: 'image',
          image: { jpeg, width: scan.width, height: scan.height, isGray: true },
          isFullPage: true,
        },
      ],
    });
    return { bytes, filename, type: 'application/pdf', title };
  }

  const textOnly = writePdf({ ...base, blocks: [{ kind: 'heading', text: title }, ...text] });
  if (recipe.figures === 0) return { bytes: textOnly, filename, type: 'application/pdf', title };
  // The text is known first, so each figure can be sized to bring the file to the recipe's weight.
  const figureBytes = Math.max(20_000, (recipe.bytes - textOnly.length) / recipe.figures);
  const blocks: PdfBlock[] = [{ kind: 'heading', text: title }];
  const every = Math.max(1, Math.floor(text.length / recipe.figures));
  for (let f = 0; f < recipe.figures; f++) {
    blocks.push(...text.slice(f * every, f === recipe.figures - 1 ? text.length : (f + 1) * every));
    const jpeg = await makeFigure(random, 1400, 1000, figureBytes);
    blocks.push({ kind: 'image', image: { jpeg, width: 1400, height: 1000 } });
  }
  return { bytes: writePdf({ ...base, blocks }), filename, type: 'application/pdf', title };
}

/** A scanned A4 sheet at 150 dpi: off-white paper, lines of "text", a stamp, a signature, scanner noise. */
function paintScan(random: Random, width: number, height: number): Pixels {
  const px = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    // Scanners shade the sheet unevenly, darker towards one edge.
    const shade = 238 - (12 * y) / height;
    px.fill(shade, y * width, (y + 1) * width);
  }
  const ink = (x0: number, y0: number, w: number, h: number, level: number): void => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++)
      px.fill(level, y * width + Math.max(0, x0), y * width + Math.min(width, x0 + w));
  };
  let y = 180;
  while (y < height - 360) {
    let x = 150;
    for (const word of writeSentence(random, 'fr').split(' ')) {
      const w = word.length * 11;
      if (x + w > width - 150) break;
      ink(x, y, w, 16, random.int(40, 80));
      x += w + 10;
    }
    y += random.next() < 0.15 ? 56 : 32;
  }
  // A round stamp and a scribbled signature.
  const cx = width - 380;
  const cy = height - 260;
  for (let a = 0; a < 4000; a++) {
    const angle = (a / 4000) * Math.PI * 2;
    for (const r of [110, 111, 112, 80, 81])
      ink(Math.round(cx + r * Math.cos(angle)), Math.round(cy + r * Math.sin(angle)), 2, 2, 90);
  }
  for (let t = 0; t < 600; t++)
    ink(
      Math.round(300 + t * 0.6),
      Math.round(height - 260 + 40 * Math.sin(t / 17) * Math.cos(t / 41)),
      3,
      3,
      30,
    );
  const grain = random.bytes(width * height);
  for (let p = 0; p < px.length; p++) px[p] = px[p]! + ((grain[p]! - 127.5) * 10) / 127.5;
  return { data: Buffer.from(px.buffer, px.byteOffset, px.byteLength), width, height, channels: 1 };
}

interface DocxRecipe {
  bytes: number;
  figure: { width: number; height: number };
  paragraphs: number;
  name(random: Random): { title: string; filename: string; author: string; headings: readonly string[] };
}

const DOCX_RECIPES: DocxRecipe[] = [
  {
    bytes: 37_000,
    figure: { width: 360, height: 480 },
    paragraphs: 10,
    name: (random) => {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      return {
        title: `Curriculum vitae – ${first} ${last}`,
        filename: `CV_${toFilePart(first)}_${toFilePart(last)}.docx`,
        author: `${first} ${last}`,
        headings: [
          'Formation',
          'Expérience professionnelle',
          'Langues : français, lingala, swahili, anglais',
          'Références',
        ],
      };
    },
  },
  {
    bytes: 110_000,
    figure: { width: 1200, height: 900 },
    paragraphs: 24,
    name: (random) => {
      const day = random.int(1, 28);
      const month = random.pick(MONTHS.fr);
      return {
        title: `Procès-verbal de la réunion du ${day} ${month} 2026`,
        filename: `PV_reunion_${day}_${toFilePart(month)}_2026.docx`,
        author: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        headings: ['Présences', 'Ordre du jour', 'Délibérations', 'Divers'],
      };
    },
  },
  {
    bytes: 236_000,
    figure: { width: 1600, height: 1200 },
    paragraphs: 40,
    name: (random) => {
      const city = random.pick(CITIES);
      return {
        title: `Proposition de projet – Accès à l'eau potable à ${city}`,
        filename: `Proposition_projet_${toFilePart(city)}.docx`,
        author: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        headings: ['Contexte et justification', 'Objectifs', 'Activités', 'Budget', 'Suivi et évaluation'],
      };
    },
  },
];

export async function makeDocx(random: Random, index: number, created: Date): Promise<Document> {
  const recipe = DOCX_RECIPES[index % DOCX_RECIPES.length]!;
  const { title, filename, author, headings } = recipe.name(random);
  const paragraphs: DocxParagraph[] = [{ text: title, style: 'Title' }];
  const perSection = Math.ceil(recipe.paragraphs / headings.length);
  for (let i = 0; i < recipe.paragraphs; i++) {
    if (i % perSection === 0) paragraphs.push({ text: headings[i / perSection]!, style: 'Heading1' });
    paragraphs.push({ text: writeParagraphs(random, 'fr', random.int(200, 700)).join(' ') });
  }
  const textOnly = writeDocx({ title, author, created, paragraphs });
  const { width, height } = recipe.figure;
  // The entry and its headers add about 150 bytes beyond the JPEG itself.
  const jpeg = await makeFigure(random, width, height, Math.max(8_000, recipe.bytes - textOnly.length - 150));
  const bytes = writeDocx({ title, author, created, paragraphs, image: { jpeg, width, height } });
  return {
    bytes,
    filename,
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    title,
  };
}

/** A meeting invitation as calendar clients send it (CRLF lines, as RFC 5545 wants). */
export function makeCalendarInvite(random: Random, start: Date, organiser: string): Document {
  const day = new Date(start.getTime() + random.int(2, 9) * 86_400_000);
  const date = day.toISOString().slice(0, 10).replace(/-/g, '');
  const hour = random.int(7, 13);
  const stamp = `${start.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const place = random.pick(CITIES);
  const summary = random.pick([
    'Réunion du comité',
    'Point mensuel du projet',
    'Formation des animateurs',
    'Assemblée générale',
  ]);
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `DTSTART:${date}T${pad(hour)}0000Z`,
    `DTEND:${date}T${pad(hour + 2)}0000Z`,
    `DTSTAMP:${stamp}`,
    `ORGANIZER;CN=${organiser}:mailto:${organiser}`,
    `UID:${random.bytes(12).toString('hex')}@google.com`,
    `CREATED:${stamp}`,
    `DESCRIPTION:${writeSentence(random, 'fr')}`,
    `LOCATION:Bureau de ${place}`,
    'SEQUENCE:0',
    'STATUS:CONFIRMED',
    `SUMMARY:${summary}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return {
    bytes: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
    filename: 'invite.ics',
    type: 'text/calendar',
    title: `Invitation : ${summary}`,
  };
}

/** A contact card (vCard 3.0), as phones share them. */
export function makeContactCard(random: Random): Document {
  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${last};${first};;;`,
    `FN:${first} ${last}`,
    `ORG:${random.pick(ORGANISATIONS)}`,
    `TEL;TYPE=CELL:${formatPhone(random)}`,
    `EMAIL;TYPE=INTERNET:${toAddressPart(first)}.${toAddressPart(last)}@gmail.com`,
    'END:VCARD',
  ];
  return {
    bytes: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
    filename: `${first} ${last}.vcf`,
    type: 'text/vcard',
    title: `Contact de ${first} ${last}`,
  };
}
