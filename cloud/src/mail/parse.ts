import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as v from 'valibot';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import {
  AddressSchema,
  formatSentAt,
  guessMediaType,
  parseEmail,
  type AttachmentRef,
  type Email,
} from '@lokole/protocol';
import { sanitizeMailHtml } from './sanitize.js';

export interface ParsedAttachment {
  readonly ref: AttachmentRef;
  readonly content: Buffer;
}

export interface ParsedMessage {
  readonly email: Email;
  /** One entry per attachment of the email, in order (the same bytes may appear twice). */
  readonly attachments: readonly ParsedAttachment[];
}

export interface ParseOptions {
  /** The email's `_uid` (for inbound mail: sha256 of the raw message). */
  readonly uid: string;
  /** `sent_at` for a message without a usable Date header. */
  readonly receivedAt: Date;
  /** `from` for a message without a usable From header (the envelope sender, or the postmaster). */
  readonly fallbackFrom: string;
}

function isAddress(value: string): boolean {
  return v.is(AddressSchema, value);
}

function flatten(list: readonly EmailAddress[]): string[] {
  return list.flatMap((entry) => (entry.group ? flatten(entry.group) : entry.address ? [entry.address] : []));
}

/** Every valid address of a header; groups are opened, display names and bad entries dropped. */
function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  if (!header) return [];
  const objects = Array.isArray(header) ? header : [header];
  const found = flatten(objects.flatMap((object) => object.value)).map((address) =>
    address.trim().toLowerCase(),
  );
  return [...new Set(found.filter(isAddress))];
}

/**
 * Parses a raw MIME message into the protocol's Email: HTML preferred (sanitised, `cid:` links
 * kept), else the text as HTML; every attachment and inline part becomes a reference by sha256.
 * mailparser is forgiving: malformed structure yields what could be read, never a throw for bad
 * MIME alone.
 */
export async function parseMessage(source: Readable | Buffer, options: ParseOptions): Promise<ParsedMessage> {
  const parsed = await simpleParser(source, {
    keepCidLinks: true,
    skipImageLinks: true,
    // We keep the HTML; its plain-text rendering (html-to-text) would be a third of the parse time.
    skipHtmlToText: true,
  });
  const from = addresses(parsed.from)[0] ?? options.fallbackFrom;
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : options.receivedAt;

  const attachments = parsed.attachments.map((attachment, index): ParsedAttachment => {
    const content = attachment.content;
    const sha256 = createHash('sha256').update(content).digest('hex');
    const type = attachment.contentType || 'application/octet-stream';
    const filename = attachment.filename?.trim() || `attachment-${index + 1}${extensionFor(type)}`;
    const cid = attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : attachment.cid;
    return {
      content,
      ref: {
        filename,
        type: type === 'application/octet-stream' ? guessMediaType(filename) : type,
        size: content.length,
        sha256,
        ...(cid ? { cid } : {}),
      },
    };
  });

  const html =
    typeof parsed.html === 'string' && parsed.html.trim() !== ''
      ? parsed.html
      : (parsed.textAsHtml ?? (parsed.text ? `<p>${escapeHtml(parsed.text)}</p>` : ''));

  const email = parseEmail(
    {
      _uid: options.uid,
      sent_at: formatSentAt(date),
      from,
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      bcc: [],
      subject: parsed.subject ?? '',
      body: sanitizeMailHtml(html),
      attachments: attachments.map((attachment) => attachment.ref),
    },
    `message ${options.uid}`,
  );
  return { email, attachments };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/calendar': '.ics',
  'message/rfc822': '.eml',
};

function extensionFor(type: string): string {
  return EXTENSIONS[type] ?? '.bin';
}
