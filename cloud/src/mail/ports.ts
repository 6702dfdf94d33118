import type { Readable } from 'node:stream';
import type { Email } from '@lokole/protocol';

/** Blob storage: raw inbound messages and attachments (content-addressed). */
export interface BlobStore {
  /** Stores the stream under `key`, replacing what was there; resolves once it is durable. */
  put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<void>;
  /** Throws NOT_FOUND for a missing blob. `range` reads `count` bytes (to the end without it) from `offset`. */
  get(key: string, range?: { offset: number; count?: number }): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** Where attachment bytes live: one blob per distinct content. */
export function attachmentKey(sha256: string): string {
  return `attachments/${sha256.slice(0, 2)}/${sha256}`;
}

export interface Envelope {
  /** MAIL FROM; null for a bounce (`<>`) or when unknown. */
  readonly from: string | null;
  /** RCPT TO, lower-cased. */
  readonly to: readonly string[];
}

export type InboundSource = 'smtp' | 'sendgrid';

export interface InboundRecord {
  readonly id: string;
  /** Where a large message's bytes are; null when they are in `raw`. */
  readonly blobKey: string | null;
  /** A small message's bytes. */
  readonly raw: Buffer | null;
  /** sha256 of the raw message: the email's `_uid`. */
  readonly sha256: string;
  readonly size: number;
  readonly source: InboundSource;
  readonly envelope: Envelope;
  readonly receivedAt: string;
  readonly state: 'stored' | 'parsed' | 'failed';
}

export type EmailOrigin = 'inbound' | 'device' | 'service';

export interface StoredEmail {
  readonly email: Email;
  readonly origin: EmailOrigin;
  /** The device whose user wrote it (origin `device`), else null. */
  readonly deviceId: string | null;
  /** Body plus attachment bytes. */
  readonly size: number;
  readonly createdAt: string;
}

export interface Recipients {
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
}

export interface OutboundRecord {
  readonly emailId: string;
  /** The device whose user wrote it; null for mail from a service mailbox. */
  readonly deviceId: string | null;
  /** Only the recipients outside the cloud. */
  readonly recipients: Recipients;
  readonly state: 'queued' | 'sent' | 'bounced';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
}

export type ReportStatus = 'sent' | 'bounced' | 'deferred';

export interface ReportRecord {
  readonly deviceId: string;
  readonly emailId: string;
  readonly status: ReportStatus;
  readonly at: string;
  readonly detail: string;
}

export interface DeviceDomain {
  readonly id: string;
  readonly domain: string;
}

export interface MailStore {
  /** Runs `fn` in one transaction; jobs it enqueues commit with its data. */
  transaction<T>(fn: (tx: MailStore) => Promise<T>): Promise<T>;
  enqueue(name: string, payload: Record<string, unknown>): Promise<void>;
  findDevicesByDomains(domains: readonly string[]): Promise<DeviceDomain[]>;
  insertInbound(record: InboundRecord): Promise<void>;
  findInbound(id: string): Promise<InboundRecord | undefined>;
  markInbound(
    id: string,
    state: 'parsed' | 'failed',
    detail: { emailId?: string; error?: string },
  ): Promise<void>;
  /** Stores the email once; false when an email with this `_uid` was already there. */
  insertEmail(stored: StoredEmail): Promise<boolean>;
  findEmail(uid: string): Promise<StoredEmail | undefined>;
  /** Adds the email to each device's pending mail, once. */
  queueForDevices(emailId: string, deviceIds: readonly string[], at: Date): Promise<void>;
  insertOutbound(record: OutboundRecord): Promise<boolean>;
  findOutbound(emailId: string): Promise<OutboundRecord | undefined>;
  updateOutbound(
    emailId: string,
    patch: {
      state: OutboundRecord['state'];
      attempts: number;
      lastError?: string | null;
      messageId?: string | null;
    },
  ): Promise<void>;
  /** One report per email and status; a second identical one is ignored. */
  addReport(report: ReportRecord): Promise<void>;
}

export interface OutboundAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly cid: string | undefined;
  readonly size: number;
  readonly open: () => Promise<Readable>;
}

/** One message to send out. `to`/`cc`/`bcc` are the envelope, split by kind; never all shown. */
export interface OutboundMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  /** What the To and Cc headers show (may include recipients inside the cloud). */
  readonly headerTo: readonly string[];
  readonly headerCc: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly date: Date;
  readonly messageId: string;
  readonly attachments: readonly OutboundAttachment[];
}

/**
 * A way out to the internet. `send` throws a LokoleError: code UNAVAILABLE for a temporary
 * failure (retry later), any other code for a permanent one (the mail bounces).
 */
export interface MailTransport {
  readonly name: string;
  send(message: OutboundMessage): Promise<{ messageId: string | undefined }>;
  close?(): void;
}
