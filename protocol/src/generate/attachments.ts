import { createHash } from 'node:crypto';
import { makeCalendarInvite, makeContactCard, makeDocx, makePdf } from './documents.js';
import { makeIcon, makeLogo, makeScreenshot } from './graphic.js';
import { makeMessengerImage, makePhoto } from './photo.js';
import { createRandom, type Random } from './random.js';

/**
 * The attachments of a typical day, after the benchmark's "day200": 29 of 200
 * emails carry 47 attachments. Photos, PDFs and Word files are what the
 * notes name; the rest are the small things real mail also carries (the
 * social-network icons of newsletters, an invitation, a contact card).
 */

export type BlobKind =
  'photo' | 'messenger' | 'screenshot' | 'logo' | 'icon' | 'pdf' | 'docx' | 'calendar' | 'contact';

export interface BlobSpec {
  key: string;
  kind: BlobKind;
  index: number;
}

export interface MadeBlob {
  bytes: Buffer;
  sha256: string;
  filename: string;
  type: string;
  /** For documents: what the email about it says in its subject. */
  title?: string;
}

export type PlannedRole =
  | 'photos'
  | 'photo-forward'
  | 'image'
  | 'screenshot'
  | 'newsletter'
  | 'logo-letter'
  | 'pdf'
  | 'docx'
  | 'calendar'
  | 'contact';

export interface PlannedEmail {
  index: number;
  role: PlannedRole;
  /** Keys of `BlobSpec`s, in attachment order. */
  blobs: string[];
  /** For a forward: the `index` of the planned email it forwards. */
  forwardOf?: number;
}

export interface DayPlan {
  emails: PlannedEmail[];
  blobs: BlobSpec[];
}

/** The attachment mix of `count` emails: the 200-email day, scaled. */
export function planDay(count: number): DayPlan {
  const scale = count / 200;
  // From 20 emails on, every kind appears at least once, so small sets still exercise every code path.
  const scaled = (base: number, isRequired = false): number => {
    const n = Math.round(base * scale);
    return isRequired && count >= 20 ? Math.max(1, n) : n;
  };
  const emails: PlannedEmail[] = [];
  const blobs: BlobSpec[] = [];
  const addBlobs = (kind: BlobKind, n: number): string[] =>
    Array.from({ length: n }, (_, index) => {
      const key = `${kind}-${index}`;
      blobs.push({ key, kind, index });
      return key;
    });
  const plan = (role: PlannedRole, keys: string[], forwardOf?: number): number => {
    const index = emails.length;
    emails.push({ index, role, blobs: keys, ...(forwardOf === undefined ? {} : { forwardOf }) });
    return index;
  };

  // Photos: the forwarded ones travel alone (a forward carries all of the original's photos); the rest in pairs.
  const photos = addBlobs('photo', scaled(5, true));
  const forwards = photos.length > 0 ? scaled(2) : 0;
  const forwarded = Math.min(photos.length, Math.ceil(forwards / 2));
  const originals = photos.slice(0, forwarded).map((key) => plan('photos', [key]));
  for (let p = forwarded; p < photos.length; p += 2) plan('photos', photos.slice(p, p + 2));
  for (let k = 0; k < forwards; k++) {
    const original = Math.floor(k / 2) % originals.length;
    plan('photo-forward', [photos[original]!], originals[original]);
  }

  for (const key of addBlobs('messenger', scaled(1, true))) plan('image', [key]);
  for (const key of addBlobs('screenshot', scaled(1, true))) plan('screenshot', [key]);

  const logoEmails = scaled(10, true);
  if (logoEmails > 0) {
    const [logo] = addBlobs('logo', 1);
    const newsletters = Math.round(logoEmails * 0.6);
    const withIcons = Math.min(newsletters, scaled(4));
    const icons = withIcons > 0 ? addBlobs('icon', 4) : [];
    for (let k = 0; k < logoEmails; k++) {
      if (k < withIcons) plan('newsletter', [logo!, ...icons]);
      else if (k < newsletters) plan('newsletter', [logo!]);
      else plan('logo-letter', [logo!]);
    }
  }

  const pdfs = addBlobs('pdf', scaled(5, true));
  for (const key of pdfs) plan('pdf', [key]);
  // One circular goes out three times, to different people: the duplicate that dedupe saves.
  for (let k = 0; k < scaled(2) && pdfs.length > 0; k++)
    plan('pdf', [pdfs[Math.floor(k / 2) % pdfs.length]!]);

  for (const key of addBlobs('docx', scaled(3, true))) plan('docx', [key]);
  for (const key of addBlobs('calendar', scaled(1))) plan('calendar', [key]);
  for (const key of addBlobs('contact', scaled(1))) plan('contact', [key]);
  return { emails, blobs };
}

// Target sizes of the five phone photos: 10.15 MB together, like the benchmark's.
const PHOTOS = [
  { width: 3000, height: 4000, bytes: 1_650_000 },
  { width: 4000, height: 3000, bytes: 2_700_000 },
  { width: 3264, height: 2448, bytes: 1_850_000 },
  { width: 4000, height: 3000, bytes: 2_200_000 },
  { width: 3000, height: 2000, bytes: 1_750_000 },
];

const ICONS = [
  { name: 'facebook.png', color: [59, 89, 152] as const },
  { name: 'whatsapp.png', color: [37, 211, 102] as const },
  { name: 'youtube.png', color: [230, 33, 23] as const },
  { name: 'x.png', color: [20, 20, 20] as const },
];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A moment in the days before `start`, as `{ date: 'yyyymmdd', time: 'HHMMSS', exif: 'yyyy:mm:dd HH:MM:SS' }`. */
function drawMoment(random: Random, start: Date): { date: string; time: string; exif: string } {
  const moment = new Date(start.getTime() - random.int(600, 3 * 86_400) * 1000);
  const date = `${moment.getUTCFullYear()}${pad(moment.getUTCMonth() + 1)}${pad(moment.getUTCDate())}`;
  const time = `${pad(moment.getUTCHours())}${pad(moment.getUTCMinutes())}${pad(moment.getUTCSeconds())}`;
  const exif = `${date.slice(0, 4)}:${date.slice(4, 6)}:${date.slice(6)} ${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}`;
  return { date, time, exif };
}

async function makeBlob(random: Random, spec: BlobSpec, start: Date): Promise<Omit<MadeBlob, 'sha256'>> {
  switch (spec.kind) {
    case 'photo': {
      const photo = PHOTOS[spec.index % PHOTOS.length]!;
      const moment = drawMoment(random, start);
      const bytes = await makePhoto(random, { ...photo, takenAt: moment.exif });
      return { bytes, filename: `IMG_${moment.date}_${moment.time}.jpg`, type: 'image/jpeg' };
    }
    case 'messenger': {
      const moment = drawMoment(random, start);
      const bytes = await makeMessengerImage(random, 140_000);
      return {
        bytes,
        filename: `IMG-${moment.date}-WA${String(random.int(1, 9999)).padStart(4, '0')}.jpg`,
        type: 'image/jpeg',
      };
    }
    case 'screenshot': {
      const moment = drawMoment(random, start);
      const bytes = await makeScreenshot(random, 85_000);
      return { bytes, filename: `Screenshot_${moment.date}-${moment.time}.png`, type: 'image/png' };
    }
    case 'logo': {
      const bytes = await makeLogo(random, 10_700, { main: [26, 94, 138], accent: [240, 160, 40] });
      return { bytes, filename: 'logo-mwinda.png', type: 'image/png' };
    }
    case 'icon': {
      const icon = ICONS[spec.index % ICONS.length]!;
      return { bytes: await makeIcon(random, icon.color), filename: icon.name, type: 'image/png' };
    }
    case 'pdf':
      return makePdf(random, spec.index, new Date(start.getTime() - random.int(1, 20) * 86_400_000));
    case 'docx':
      return makeDocx(random, spec.index, new Date(start.getTime() - random.int(1, 60) * 86_400_000));
    case 'calendar':
      return makeCalendarInvite(random, start, 'secretariat@mwinda.org');
    case 'contact':
      return makeContactCard(random);
  }
}

/** Makes every blob of the plan; each draws from its own stream, so its bytes do not depend on the others. */
export async function makeBlobs(
  random: Random,
  specs: readonly BlobSpec[],
  start: Date,
): Promise<Map<string, MadeBlob>> {
  const seeds = specs.map(() => random.int(0, 0xffffffff));
  const made = new Map<string, MadeBlob>();
  // One at a time: the photos are large raw buffers, and the machine may be a Raspberry Pi.
  for (const [k, spec] of specs.entries()) {
    const blob = await makeBlob(createRandom(seeds[k]!), spec, start);
    made.set(spec.key, { ...blob, sha256: createHash('sha256').update(blob.bytes).digest('hex') });
  }
  return made;
}
