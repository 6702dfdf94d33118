import { formatSentAt, type AttachmentRef, type Email } from '../email.js';
import { makeBlobs, planDay, type MadeBlob, type PlannedEmail } from './attachments.js';
import {
  drawLength,
  writeForward,
  writeLetterBody,
  writeLetterWithLogo,
  writeNewsletter,
  writeReply,
  type Body,
  type Quotable,
} from './body.js';
import { createDirectory, type Directory, type Person } from './people.js';
import { createRandom, type Random } from './random.js';
import { ATTACHMENT_INTROS, MONTHS, SUBJECTS, fillTemplate, toAddressPart, type Language } from './texts.js';

export interface GeneratedMail {
  emails: Email[];
  /** Every attachment's bytes, once, keyed by lower-case SHA-256 hex. */
  blobs: Map<string, Buffer>;
}

export interface GenerateOptions {
  /** The same seed and options give byte-identical emails and blobs. */
  seed: number;
  count: number;
  /** 'none': text mail only; 'day': the attachment mix of a typical day (photos, PDFs, documents). */
  attachments?: 'none' | 'day';
  /** The device's domain, for its users' addresses. */
  domain?: string;
  /** `sent_at` of the first email; the others spread over the following day. */
  start?: Date;
}

interface Settings {
  seed: number;
  count: number;
  attachments: 'none' | 'day';
  domain: string;
  start: Date;
}

function applyDefaults(options: GenerateOptions): Settings {
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(options.count) || options.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${options.count}`);
  }
  const start = options.start ?? new Date('2026-11-02T06:00:00Z');
  if (Number.isNaN(start.getTime())) throw new RangeError('start is not a valid date');
  return {
    seed: options.seed,
    count: options.count,
    attachments: options.attachments ?? 'none',
    domain: options.domain ?? 'kinshasa.lokole.ca',
    start,
  };
}

/** One generated message and what later replies need from it. */
interface Message extends Quotable {
  language: Language;
  attachments: AttachmentRef[];
  /** Nobody answers a newsletter, but people forward them. */
  isNewsletter: boolean;
}

const NEWSLETTER_SENDERS = [
  { organisation: 'ONG Mwinda', address: 'lettre@mwinda.org', site: 'mwinda.org' },
  { organisation: 'Centre de santé Bondeko', address: 'info@bondeko-sante.org', site: 'bondeko-sante.org' },
  {
    organisation: 'Radio communautaire Elikya',
    address: 'nouvelles@elikya-radio.cd',
    site: 'elikya-radio.cd',
  },
  { organisation: 'Coopérative Tosalisana', address: 'communication@tosalisana.cd', site: 'tosalisana.cd' },
];

/** Generates `count` emails of a Lokole day, and the bytes of their attachments. */
export async function generateMail(options: GenerateOptions): Promise<GeneratedMail> {
  const settings = applyDefaults(options);
  const random = createRandom(settings.seed);
  // Attachments draw from their own stream, so adding an image does not reshuffle every text.
  const blobRandom = createRandom(random.int(0, 0xffffffff));
  const directory = createDirectory(random, settings.domain);
  const times = spreadTimes(random, settings.start, settings.count);

  const plan = settings.attachments === 'day' ? planDay(settings.count) : { emails: [], blobs: [] };
  const made = await makeBlobs(blobRandom, plan.blobs, settings.start);
  const slots = placePlannedEmails(random, plan.emails, settings.count);

  const history: Message[] = [];
  const byPlanIndex = new Map<number, Message>();
  const emails: Email[] = [];
  for (let i = 0; i < settings.count; i++) {
    const planned = slots.get(i);
    const context: Context = { random, directory, history, sentAt: times[i]!, made, byPlanIndex };
    const message = planned ? writePlanned(context, planned) : writeText(context);
    if (planned) byPlanIndex.set(planned.index, message);
    history.push(message);
    emails.push(toEmail(random, directory, message));
  }

  // Only what some email refers to: a plan larger than `count` leaves blobs unused.
  const bytesByHash = new Map([...made.values()].map((blob) => [blob.sha256, blob.bytes]));
  const blobs = new Map<string, Buffer>();
  for (const ref of emails.flatMap((email) => email.attachments))
    blobs.set(ref.sha256, bytesByHash.get(ref.sha256)!);
  return { emails, blobs };
}

interface Context {
  random: Random;
  directory: Directory;
  history: Message[];
  sentAt: Date;
  made: Map<string, MadeBlob>;
  byPlanIndex: Map<number, Message>;
}

/** `sent_at` over one day from `start`: busy in office hours, quiet at night. */
function spreadTimes(random: Random, start: Date, count: number): Date[] {
  // Weight per hour after `start` (06:00 UTC is 07:00 in Kinshasa).
  const weights = [3, 6, 8, 9, 9, 8, 6, 8, 8, 8, 7, 6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 2];
  const total = weights.reduce((sum, w) => sum + w, 0);
  const offsets: number[] = [];
  for (let i = 1; i < count; i++) {
    let r = random.next() * total;
    let hour = 0;
    while (r >= weights[hour]!) r -= weights[hour++]!;
    offsets.push(hour * 60 + random.int(0, 59));
  }
  offsets.sort((a, b) => a - b);
  return [start, ...offsets.map((minutes) => new Date(start.getTime() + Math.max(1, minutes) * 60_000))];
}

/** Puts each planned email at a random position, originals before their forwards. */
function placePlannedEmails(
  random: Random,
  planned: PlannedEmail[],
  count: number,
): Map<number, PlannedEmail> {
  const positions = new Set<number>();
  while (positions.size < Math.min(planned.length, count)) positions.add(random.int(0, count - 1));
  const sorted = [...positions].sort((a, b) => a - b);
  const order = shuffle(random, planned.slice(0, sorted.length));
  // A forward must come after the email it forwards: give each chain its earliest slots in order.
  for (const original of order) {
    const chain = [original, ...order.filter((p) => p.forwardOf === original.index)];
    if (chain.length < 2) continue;
    const places = chain.map((p) => order.indexOf(p)).sort((a, b) => a - b);
    places.forEach((place, k) => (order[place] = chain[k]!));
  }
  return new Map(order.map((p, k) => [sorted[k]!, p]));
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function pickRecipients(random: Random, pool: readonly Person[], exclude: Person, max: number): Person[] {
  const wanted = Math.min(max, pool.length - 1);
  const out: Person[] = [];
  while (out.length < wanted) {
    const person = random.pick(pool);
    if (person !== exclude && !out.includes(person)) out.push(person);
  }
  return out;
}

function drawRecipientCount(random: Random): number {
  const r = random.next();
  return r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
}

/** Someone writes anew: a local user to anyone, or a correspondent to a local user. */
function pickParties(context: Context): { author: Person; recipients: Person[] } {
  const { random, directory } = context;
  const everyone = [...directory.locals, ...directory.remotes];
  if (random.next() < 0.52) {
    const author = random.pick(directory.locals);
    const pool = random.next() < 0.75 ? directory.remotes : directory.locals;
    return { author, recipients: pickRecipients(random, pool, author, drawRecipientCount(random)) };
  }
  const author = random.pick(directory.remotes);
  const first = random.pick(directory.locals);
  const others = pickRecipients(random, everyone, author, drawRecipientCount(random) - 1).filter(
    (p) => p !== first,
  );
  return { author, recipients: [first, ...others] };
}

function pickSubject(random: Random, language: Language): string {
  return fillTemplate(random, random.pick(SUBJECTS[language]), { language });
}

function writeText(context: Context): Message {
  const { random, history } = context;
  const r = random.next();
  if (r < 0.04) return writeNewsletterMessage(context, undefined, []);
  const recent = history.slice(-40).filter((m) => !m.isNewsletter);
  if (r < 0.46 && recent.length > 0) return writeReplyMessage(context, random.pick(recent));
  if (r < 0.5 && recent.length > 0) return writeForwardMessage(context, random.pick(recent), []);
  if (r < 0.6) return writeReplyMessage(context, inventEarlierMessage(context));
  const { author, recipients } = pickParties(context);
  const language = author.language;
  const body = writeLetterBody(random, {
    author,
    to: recipients[0],
    language,
    length: drawLength(random),
    isHtml: author.writesHtml,
  });
  return toMessage(context, author, recipients, pickSubject(random, language), language, body, []);
}

/** A message from before this day, for a reply to quote (threads do not start at midnight). */
function inventEarlierMessage(context: Context): Message {
  const { random } = context;
  const { author, recipients } = pickParties(context);
  const language = author.language;
  const sentAt = new Date(context.sentAt.getTime() - random.int(30, 6 * 24 * 60) * 60_000);
  const body = writeLetterBody(random, {
    author,
    to: recipients[0],
    language,
    length: drawLength(random),
    isHtml: author.writesHtml,
  });
  const subject = pickSubject(random, language);
  return { author, recipients, subject, sentAt, language, attachments: [], isNewsletter: false, ...body };
}

function stripPrefixes(subject: string): string {
  return subject.replace(/^((re|fwd?|tr)\s?:\s*)+/i, '');
}

function writeReplyMessage(context: Context, quoted: Message): Message {
  const { random } = context;
  // The replier is one of the recipients; a reply goes back to the author, sometimes to all.
  const author = quoted.recipients[0] ?? quoted.author;
  const recipients = [quoted.author, ...(random.next() < 0.25 ? quoted.recipients.slice(1) : [])].filter(
    (p) => p !== author,
  );
  const language = random.next() < 0.6 ? quoted.language : author.language;
  const body = writeReply(random, {
    author,
    to: quoted.author,
    language,
    length: Math.min(drawLength(random), 3000),
    quoted,
    isHtml: author.writesHtml,
  });
  const prefix = random.next() < 0.85 ? 'Re: ' : 'RE: ';
  return toMessage(
    context,
    author,
    recipients.length > 0 ? recipients : [quoted.author],
    `${prefix}${stripPrefixes(quoted.subject)}`,
    language,
    body,
    [],
  );
}

function writeForwardMessage(context: Context, quoted: Message, attachments: AttachmentRef[]): Message {
  const { random, directory } = context;
  const author = quoted.recipients[0] ?? random.pick(directory.locals);
  const pool = author.isLocal ? [...directory.locals, ...directory.remotes] : directory.locals;
  const recipients = pickRecipients(random, pool, author, drawRecipientCount(random)).filter(
    (p) => p !== quoted.author,
  );
  const to = recipients.length > 0 ? recipients : [random.pick(directory.locals.filter((p) => p !== author))];
  const language = author.language;
  const body = writeForward(random, {
    author,
    to: to[0],
    language,
    length: drawLength(random),
    quoted,
    isHtml: author.writesHtml,
  });
  const prefix = random.next() < 0.8 ? 'Fwd: ' : 'TR: ';
  return toMessage(
    context,
    author,
    to,
    `${prefix}${stripPrefixes(quoted.subject)}`,
    language,
    body,
    attachments,
  );
}

function writeNewsletterMessage(context: Context, logo: MadeBlob | undefined, icons: MadeBlob[]): Message {
  const { random, directory } = context;
  // The logo is ONG Mwinda's, so only its newsletter shows it.
  const sender = logo ? NEWSLETTER_SENDERS[0]! : random.pick(NEWSLETTER_SENDERS);
  const author: Person = {
    first: sender.organisation,
    last: '',
    address: sender.address,
    language: 'fr',
    writesHtml: true,
    isLocal: false,
    signature: [],
  };
  const issue = random.int(12, 140);
  const month = MONTHS.fr[context.sentAt.getUTCMonth()]!;
  const logoCid = logo ? writeCid(random, logo.filename) : undefined;
  const iconCids = icons.map((icon) => writeCid(random, icon.filename));
  const length = random.next() < 0.3 ? random.int(8_000, 24_000) : random.int(2_000, 7_000);
  const body = writeNewsletter(random, {
    organisation: sender.organisation,
    site: sender.site,
    issue,
    month,
    length,
    logoCid,
    iconCids,
  });
  const recipients = pickRecipients(random, directory.locals, author, drawRecipientCount(random));
  const attachments = [
    ...(logo && logoCid ? [toRef(logo, logoCid)] : []),
    ...icons.map((icon, k) => toRef(icon, iconCids[k])),
  ];
  const subject = `${sender.organisation} – Lettre d'information n° ${issue}`;
  return { ...toMessage(context, author, recipients, subject, 'fr', body, attachments), isNewsletter: true };
}

/** Like Outlook's `image001.png@01DB2C3A.5F6E7D80`: unique per email, even for the same logo. */
function writeCid(random: Random, filename: string): string {
  return `${filename}@${random.bytes(4).toString('hex').toUpperCase()}.${random.bytes(4).toString('hex').toUpperCase()}`;
}

function toRef(blob: MadeBlob, cid?: string): AttachmentRef {
  return {
    filename: blob.filename,
    ...(cid === undefined ? {} : { cid }),
    type: blob.type,
    size: blob.bytes.length,
    sha256: blob.sha256,
  };
}

const PLANNED_SUBJECTS: Record<string, readonly string[]> = {
  photos: [
    'Photos',
    'Photos de la fête',
    'Photos du chantier',
    'Picha za mkutano',
    'Pictures from {place}',
    'Ba photos ya libala',
  ],
  image: ['Regarde ça', 'Foto', 'Picha', 'Image du groupe'],
  screenshot: ["Capture d'écran", 'Problème de connexion', 'Erreur sur le site', 'Login problem'],
  calendar: ['Invitation : réunion du comité', 'Invitation: project meeting'],
  contact: ['Contact de {name}', 'Namba za {name}'],
};

function writePlanned(context: Context, planned: PlannedEmail): Message {
  const { random, directory, made } = context;
  const blobs = planned.blobs.map((key) => made.get(key)!);
  switch (planned.role) {
    case 'newsletter':
      return writeNewsletterMessage(context, blobs[0], blobs.slice(1));
    case 'photo-forward': {
      const original = context.byPlanIndex.get(planned.forwardOf!)!;
      return writeForwardMessage(context, original, original.attachments);
    }
    case 'logo-letter': {
      // Someone at ONG Mwinda, whose webmail signature carries the logo.
      const base = random.pick(directory.remotes);
      const author: Person = {
        ...base,
        address: `${toAddressPart(base.first)}.${toAddressPart(base.last)}@mwinda.org`,
        writesHtml: true,
        signature: [],
      };
      const recipients = [random.pick(directory.locals)];
      const logo = blobs[0]!;
      const cid = writeCid(random, logo.filename);
      const language = author.language;
      const body = writeLetterWithLogo(random, {
        author,
        to: recipients[0],
        language,
        length: drawLength(random),
        logoCid: cid,
        organisation: 'ONG Mwinda',
      });
      return toMessage(context, author, recipients, pickSubject(random, language), language, body, [
        toRef(logo, cid),
      ]);
    }
    default: {
      const { author, recipients } = pickParties(context);
      const language = author.language;
      const kind = planned.role === 'photos' ? 'photo' : planned.role;
      const body = writeLetterBody(random, {
        author,
        to: recipients[0],
        language,
        length: Math.min(drawLength(random), 600),
        intro: random.pick(ATTACHMENT_INTROS[kind]),
        isHtml: author.writesHtml,
      });
      const titled = blobs.find((blob) => blob.title !== undefined);
      const subject =
        titled?.title ?? fillTemplate(random, random.pick(PLANNED_SUBJECTS[planned.role]!), { language });
      return toMessage(
        context,
        author,
        recipients,
        subject,
        language,
        body,
        blobs.map((blob) => toRef(blob)),
      );
    }
  }
}

function toMessage(
  context: Context,
  author: Person,
  recipients: Person[],
  subject: string,
  language: Language,
  body: Body,
  attachments: AttachmentRef[],
): Message {
  return {
    author,
    recipients,
    subject,
    sentAt: context.sentAt,
    language,
    attachments,
    isNewsletter: false,
    ...body,
  };
}

function toEmail(random: Random, directory: Directory, message: Message): Email {
  const { recipients } = message;
  // Most mail goes to a few people in `to`; some copies go in `cc`, rarely a `bcc`.
  const ccCount = recipients.length > 1 && random.next() < 0.35 ? random.int(1, recipients.length - 1) : 0;
  const to = recipients.slice(0, recipients.length - ccCount);
  const cc = recipients.slice(recipients.length - ccCount);
  const bcc: Person[] = [];
  const everyone = [...directory.locals, ...directory.remotes];
  const isNew = (person: Person): boolean =>
    person !== message.author && !to.includes(person) && !cc.includes(person) && !bcc.includes(person);
  if (cc.length === 0 && random.next() < 0.15) {
    const extra = random.pick(everyone);
    if (isNew(extra)) cc.push(extra);
  }
  if (random.next() < 0.03) {
    const extra = random.pick(everyone);
    if (isNew(extra)) bcc.push(extra);
  }
  return {
    _uid: writeUuid(random),
    sent_at: formatSentAt(message.sentAt),
    to: to.map((p) => p.address),
    cc: cc.map((p) => p.address),
    bcc: bcc.map((p) => p.address),
    from: message.author.address,
    subject: message.subject,
    body: message.html,
    attachments: message.attachments,
  };
}

/** A UUID v4 made from the seeded stream, so that `_uid`s repeat with the seed. */
function writeUuid(random: Random): string {
  const bytes = random.bytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
