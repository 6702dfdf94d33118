import type { Random } from './random.js';
import { fullName, type Person } from './people.js';
import {
  CLOSINGS,
  FOOTERS,
  GREETINGS,
  NEWSLETTER_TITLES,
  fillTemplate,
  writeSentence,
  type Language,
  MONTHS,
} from './texts.js';

/**
 * Bodies as the device stores them: HTML. Mail written as plain text becomes
 * `<p>` paragraphs (what Lokole's editor and inbound conversion produce); mail
 * from webmail clients keeps their HTML, quoting included, because that markup
 * is a real part of the bytes a sync moves.
 */

/** What a reply or a forward needs to know about an earlier message. */
export interface Quotable {
  author: Person;
  recipients: readonly Person[];
  subject: string;
  sentAt: Date;
  /** The whole body as plain text lines ('' separates paragraphs), quotes included. */
  lines: readonly string[];
  /** Only what the author wrote, for when quoting everything would make the reply too long. */
  ownLines: readonly string[];
  html: string;
  ownHtml: string;
}

export interface Body {
  lines: string[];
  ownLines: string[];
  html: string;
  ownHtml: string;
}

/** Bodies stop growing here: the long tail of real mail ends near 30 KB. */
const MAX_BODY_BYTES = 30_000;

/**
 * How much the author writes, in characters. Log-normal like real mail (most
 * notes are short, a few are long reports); quoting in replies adds the rest.
 */
export function drawLength(random: Random): number {
  if (random.next() < 0.025) return random.int(6_000, 22_000);
  const normal = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return Math.round(Math.min(12_000, Math.max(40, 260 * Math.exp(0.9 * normal))));
}

/** Paragraphs of about `length` characters; a few sentences may switch language, as people do. */
export function writeParagraphs(random: Random, language: Language, length: number): string[] {
  const paragraphs: string[] = [];
  let total = 0;
  while (total < length) {
    const sentences: string[] = [];
    const count = random.int(1, 4);
    for (let i = 0; i < count && total < length; i++) {
      const switched = random.next() < 0.12;
      const sentence = writeSentence(
        random,
        switched ? random.pick(['fr', 'ln', 'sw', 'en'] as const) : language,
      );
      sentences.push(sentence);
      total += sentence.length + 1;
    }
    if (random.next() < 0.05) {
      const link = writeLink(random);
      sentences.push(language === 'en' ? `The link: ${link}` : `Le lien : ${link}`);
    }
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs;
}

function writeLink(random: Random): string {
  const id = random.bytes(9).toString('base64url');
  return random.pick([
    `https://drive.google.com/file/d/${id}${random.bytes(12).toString('base64url')}/view?usp=sharing`,
    `https://forms.gle/${id}`,
    `https://www.facebook.com/share/p/${id}/`,
    `https://chat.whatsapp.com/${id}${id.slice(0, 6)}`,
    `https://mwinda.org/actualites/${random.int(100, 999)}`,
  ]);
}

export interface WriteOptions {
  author: Person;
  /** The first recipient, greeted by name. */
  to: Person | undefined;
  language: Language;
  length: number;
  /** A sentence that must open the text (the reason for an attachment). */
  intro?: string;
}

/** A letter as plain text lines: greeting, paragraphs, closing, name, signature. */
function writeLetter(random: Random, options: WriteOptions): string[] {
  const { author, to, language } = options;
  const lines: string[] = [];
  if (random.next() < 0.85) {
    lines.push(fillTemplate(random, random.pick(GREETINGS[language]), { language, to: to?.first }), '');
  }
  const paragraphs = writeParagraphs(random, language, options.length);
  if (options.intro) paragraphs.unshift(fillTemplate(random, options.intro, { language }));
  for (const paragraph of paragraphs) lines.push(paragraph, '');
  if (random.next() < 0.8) lines.push(random.pick(CLOSINGS[language]));
  lines.push(random.next() < 0.5 ? author.first : fullName(author));
  lines.push(...author.signature);
  if (!author.isLocal && random.next() < 0.2) lines.push('', random.pick(FOOTERS));
  return lines;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text lines as the simple HTML that Lokole stores: one `<p>` per paragraph, `<br>` inside. */
function linesToHtml(lines: readonly string[]): string {
  const paragraphs: string[][] = [[]];
  for (const line of lines) {
    if (line === '') {
      if (paragraphs.at(-1)!.length > 0) paragraphs.push([]);
    } else {
      paragraphs.at(-1)!.push(line);
    }
  }
  return paragraphs
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p>${paragraph.map((line) => linkify(escapeHtml(line))).join('<br>')}</p>`)
    .join('\n');
}

function linkify(html: string): string {
  return html.replace(/https:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

/** The same letter as a webmail client (Gmail) writes it: a `div` per line, some bold, links. */
function linesToWebmailHtml(random: Random, lines: readonly string[]): string {
  const parts = lines.map((line) => {
    if (line === '') return '<div><br></div>';
    let html = linkify(escapeHtml(line));
    if (random.next() < 0.08) {
      // People bold the one sentence that matters: a date, an amount, a deadline.
      const cut = html.indexOf('. ');
      html = cut > 0 ? `<b>${html.slice(0, cut + 1)}</b>${html.slice(cut + 1)}` : `<b>${html}</b>`;
    }
    return `<div>${html}</div>`;
  });
  return `<div dir="ltr">${parts.join('')}</div>`;
}

const FR_DAYS = ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'];
const FR_MONTHS = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];
const FR_LONG_DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const EN_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Clients show Kinshasa time (UTC+1), not the UTC that `sent_at` holds. */
function toKinshasa(date: Date): Date {
  return new Date(date.getTime() + 3_600_000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

type ClientLanguage = 'fr' | 'en';

function clientLanguage(random: Random, language: Language): ClientLanguage {
  // Lingala and Swahili speakers run their phones and webmail in French, sometimes English.
  if (language === 'en') return 'en';
  if (language === 'sw') return random.next() < 0.7 ? 'fr' : 'en';
  return 'fr';
}

/** `Le lun. 2 nov. 2026 à 09:14, Ana Mukendi <ana.mukendi@…> a écrit :` and its English twin. */
function writeQuoteHeader(random: Random, quoted: Quotable, language: ClientLanguage): string {
  const d = toKinshasa(quoted.sentAt);
  const name = fullName(quoted.author);
  if (language === 'en') {
    const hour = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
    const when = `${EN_DAYS[d.getUTCDay()]}, ${EN_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${hour}:${pad(d.getUTCMinutes())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
    return `On ${when} ${name} <${quoted.author.address}> wrote:`;
  }
  const date = `${FR_DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${FR_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return random.next() < 0.3
    ? `Le ${date}, ${quoted.author.first} a écrit :`
    : `Le ${date} à ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}, ${name} <${quoted.author.address}> a écrit :`;
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

interface Quoted {
  lines: readonly string[];
  html: string;
}

/**
 * What a reply or forward may quote, best first: the earlier message with its
 * thread, or only its own text (people trim, phones cut), or nothing. The
 * caller takes the first that keeps the body under `MAX_BODY_BYTES`.
 */
function listQuotable(random: Random, quoted: Quotable): Quoted[] {
  const own = { lines: quoted.ownLines, html: quoted.ownHtml };
  const none = { lines: [], html: '' };
  return random.next() < 0.7 ? [{ lines: quoted.lines, html: quoted.html }, own, none] : [own, none];
}

function fitBody(candidates: Quoted[], compose: (quoted: Quoted) => Body): Body {
  for (const candidate of candidates) {
    const body = compose(candidate);
    if (Buffer.byteLength(body.html) <= MAX_BODY_BYTES) return body;
  }
  return compose({ lines: [], html: '' });
}

export interface ReplyOptions extends WriteOptions {
  quoted: Quotable;
  /** The author's client writes HTML. */
  isHtml: boolean;
}

export function writeReply(random: Random, options: ReplyOptions): Body {
  const { quoted } = options;
  const ownLines = writeLetter(random, options);
  const client = clientLanguage(random, options.language);
  const ownHtml = options.isHtml ? linesToWebmailHtml(random, ownLines) : linesToHtml(ownLines);
  const header = writeQuoteHeader(random, quoted, client);
  const isOutlook = !options.isHtml && random.next() < 0.2;
  const candidates = listQuotable(random, quoted);

  if (options.isHtml) {
    return fitBody(candidates, (picked) => {
      if (picked.html === '') return { lines: ownLines, ownLines, html: ownHtml, ownHtml };
      const html =
        `${ownHtml}<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${escapeHtml(header)}<br></div>` +
        `<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${picked.html}</blockquote></div>`;
      return { lines: [...ownLines, '', header, ...quoteLines(picked.lines)], ownLines, html, ownHtml };
    });
  }

  const d = toKinshasa(quoted.sentAt);
  // Outlook's style: a header block, the earlier text unquoted below it.
  const outlookHeader = [
    client === 'en' ? '-----Original Message-----' : "-----Message d'origine-----",
    `${client === 'en' ? 'From' : 'De'} : ${fullName(quoted.author)} <${quoted.author.address}>`,
    `${client === 'en' ? 'Sent' : 'Envoyé'} : ${FR_LONG_DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS.fr[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    `${client === 'en' ? 'To' : 'À'} : ${quoted.recipients.map((person) => person.address).join('; ')}`,
    `${client === 'en' ? 'Subject' : 'Objet'} : ${quoted.subject}`,
  ];
  return fitBody(candidates, (picked) => {
    if (picked.lines.length === 0) return { lines: ownLines, ownLines, html: ownHtml, ownHtml };
    const lines = isOutlook
      ? [...ownLines, '', ...outlookHeader, '', ...picked.lines]
      : [...ownLines, '', header, ...quoteLines(picked.lines)];
    return { lines, ownLines, html: linesToHtml(lines), ownHtml };
  });
}

/** `> ` before each line, wrapped at 76 columns as mail clients do. */
function quoteLines(lines: readonly string[]): string[] {
  return lines.flatMap((line) => {
    if (line === '') return ['>'];
    if (line.startsWith('>')) return [`>${line}`];
    return wrapLine(line, 74).map((part) => `> ${part}`);
  });
}

export interface ForwardOptions extends WriteOptions {
  quoted: Quotable;
  isHtml: boolean;
}

export function writeForward(random: Random, options: ForwardOptions): Body {
  const { quoted } = options;
  const ownLines =
    random.next() < 0.3 ? [] : writeLetter(random, { ...options, length: Math.min(options.length, 200) });
  const client = clientLanguage(random, options.language);
  const d = toKinshasa(quoted.sentAt);
  const when = `${FR_DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${FR_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} à ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const header =
    client === 'en'
      ? [
          '---------- Forwarded message ---------',
          `From: ${fullName(quoted.author)} <${quoted.author.address}>`,
          `Date: ${EN_DAYS[d.getUTCDay()]}, ${EN_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
          `Subject: ${quoted.subject}`,
          `To: ${quoted.recipients.map((person) => person.address).join(', ')}`,
        ]
      : [
          '-------- Message transféré --------',
          `Sujet : ${quoted.subject}`,
          `Date : ${when}`,
          `De : ${fullName(quoted.author)} <${quoted.author.address}>`,
          `Pour : ${quoted.recipients.map((person) => person.address).join(', ')}`,
        ];
  const ownHtml = options.isHtml ? linesToWebmailHtml(random, ownLines) : linesToHtml(ownLines);
  // A forward carries the message whole: only the thread below it may be cut.
  return fitBody(listQuotable(random, quoted).slice(0, -1), (picked) => {
    const lines = [...ownLines, '', ...header, '', ...picked.lines];
    const html = options.isHtml
      ? `${ownHtml}<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${header.map(escapeHtml).join('<br>')}<br></div><br><br>${picked.html}</div>`
      : linesToHtml(lines);
    return { lines, ownLines, html, ownHtml };
  });
}

export function writeLetterBody(random: Random, options: WriteOptions & { isHtml: boolean }): Body {
  const lines = writeLetter(random, options);
  const html = options.isHtml ? linesToWebmailHtml(random, lines) : linesToHtml(lines);
  return { lines, ownLines: lines, html, ownHtml: html };
}

export interface NewsletterOptions {
  organisation: string;
  site: string;
  issue: number;
  month: string;
  length: number;
  /** `cid` of the inline logo, or undefined to link the logo from the web. */
  logoCid: string | undefined;
  /** `cid`s of inline social-network icons, if any. */
  iconCids: readonly string[];
}

const P_STYLE =
  'margin:0 0 12px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#333333';

function byteLength(parts: readonly string[]): number {
  return parts.reduce((sum, part) => sum + Buffer.byteLength(part) + 1, 0);
}

/** A mailing-list newsletter: the kind of HTML that makes the long tail of body sizes. */
export function writeNewsletter(random: Random, options: NewsletterOptions): Body {
  const lines: string[] = [];
  const html: string[] = [];
  const logo = options.logoCid
    ? `cid:${options.logoCid}`
    : `https://${options.site}/static/img/logo-${random.int(100, 999)}.png`;
  html.push(
    `<div style="max-width:600px;margin:0 auto;background:#ffffff">`,
    `<p style="text-align:center;margin:0 0 16px"><img src="${logo}" alt="${escapeHtml(options.organisation)}" width="240" height="80" style="display:block;margin:0 auto;border:0"></p>`,
    `<p style="${P_STYLE}"><b>Lettre d'information n° ${options.issue} – ${options.month} 2026</b></p>`,
  );
  lines.push(
    `${options.organisation} – Lettre d'information n° ${options.issue} – ${options.month} 2026`,
    '',
  );
  let written = 0;
  const titles = [...NEWSLETTER_TITLES];
  // A section adds at most about 4 KB of markup and text: stop early enough to stay under the cap.
  while (written < options.length && titles.length > 0 && byteLength(html) < MAX_BODY_BYTES - 5_000) {
    const title = titles.splice(random.int(0, titles.length - 1), 1)[0]!;
    const paragraphs = writeParagraphs(random, random.next() < 0.8 ? 'fr' : 'en', random.int(400, 1600));
    const slug = `${random.int(1000, 9999)}-${random.bytes(4).toString('hex')}`;
    html.push(`<p style="${P_STYLE};font-size:18px;color:#1a5e8a"><b>${escapeHtml(title)}</b></p>`);
    lines.push(title.toUpperCase(), '');
    for (const paragraph of paragraphs) {
      html.push(`<p style="${P_STYLE}">${escapeHtml(paragraph)}</p>`);
      lines.push(paragraph, '');
      written += paragraph.length;
    }
    if (random.next() < 0.4) {
      const items = Array.from({ length: random.int(2, 5) }, () => writeSentence(random, 'fr'));
      html.push(
        `<ul style="${P_STYLE}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
      );
      lines.push(...items.map((item) => `- ${item}`), '');
    }
    if (random.next() < 0.3) {
      const testimony = writeSentence(random, random.pick(['fr', 'ln', 'sw'] as const));
      html.push(
        `<blockquote style="margin:0 0 12px 12px;padding-left:12px;border-left:3px solid #1a5e8a;font-style:italic">${escapeHtml(testimony)}</blockquote>`,
      );
      lines.push(`« ${testimony} »`, '');
    }
    const url = `https://${options.site}/actualites/${slug}?utm_source=newsletter&utm_medium=email&utm_campaign=n${options.issue}`;
    html.push(`<p style="${P_STYLE}"><a href="${url}" style="color:#1a5e8a">Lire la suite</a></p>`);
    lines.push(`Lire la suite : ${url}`, '');
  }
  if (options.iconCids.length > 0) {
    const names = ['Facebook', 'WhatsApp', 'YouTube', 'X', 'Instagram', 'LinkedIn'];
    html.push(
      `<p style="text-align:center;margin:16px 0">${options.iconCids
        .map(
          (cid, i) =>
            `<a href="https://${options.site}/suivre/${i}"><img src="cid:${cid}" alt="${names[i % names.length]}" width="32" height="32" style="border:0;margin:0 6px"></a>`,
        )
        .join('')}</p>`,
    );
  }
  const token = random.bytes(12).toString('hex');
  html.push(
    `<p style="${P_STYLE};font-size:11px;color:#888888">Vous recevez ce message parce que vous êtes inscrit à la lettre de ${escapeHtml(options.organisation)}. <a href="https://${options.site}/desabonnement?u=${token}" style="color:#888888">Se désabonner</a></p>`,
    '</div>',
  );
  lines.push(`Se désabonner : https://${options.site}/desabonnement?u=${token}`);
  const body = html.join('\n');
  return { lines, ownLines: lines, html: body, ownHtml: body };
}

/** An HTML letter whose signature shows the organisation's logo, inline by `cid`. */
export function writeLetterWithLogo(
  random: Random,
  options: WriteOptions & { logoCid: string; organisation: string },
): Body {
  const lines = writeLetter(random, options);
  const html =
    `${linesToWebmailHtml(random, lines)}<div><br></div><div dir="ltr"><img src="cid:${options.logoCid}" alt="${escapeHtml(options.organisation)}" width="160" height="53"><br>` +
    `<span style="color:#1a5e8a;font-size:12px">${escapeHtml(options.organisation)}</span></div>`;
  return { lines: [...lines, '', `[${options.organisation}]`], ownLines: lines, html, ownHtml: html };
}
