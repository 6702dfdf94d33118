import { randomUUID } from 'node:crypto';
import { LokoleError, formatSentAt } from '@lokole/protocol';
import { isLocalAddress } from './addresses.js';
import type { AttachmentFiles } from './attachment-files.js';
import { importEmail, isNewsEmail, type AttachmentBytes } from './import.js';
import { htmlToText, sanitizeEmailHtml } from './sanitize.js';
import { toMatchExpression } from './search.js';
import type { Folder, MailStore, MailboxItem, StoredAttachment, StoredEmail } from './types.js';
import type { Email } from '@lokole/protocol';

export interface MailDeps {
  store: MailStore;
  files: AttachmentFiles;
  domain: string;
  newsSenders: readonly string[];
  now: () => Date;
  newUid?: () => string;
}

export interface Sender {
  id: number;
  address: string;
}

export interface OutgoingAttachment {
  filename: string;
  type: string;
  sha256: string;
  size: number;
  cid?: string | null;
}

export interface Outgoing {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** Sanitised here, whatever the editor sent. */
  bodyHtml: string;
  attachments: OutgoingAttachment[];
}

export interface Listing {
  items: MailboxItem[];
  hasMore: boolean;
}

export interface OpenedEmail {
  email: StoredEmail;
  /** The folders the user sees it in; empty for a news email seen by anyone. */
  folders: Folder[];
  isRead: boolean;
}

export const PAGE_SIZE = 25;

export type Mail = ReturnType<typeof createMail>;

/**
 * The mail of the device's users: folders, reading, sending, search. Every
 * read of an email or attachment goes through `open`, which answers
 * NOT_FOUND for an email the user cannot see, whether or not it exists.
 */
export function createMail(deps: MailDeps) {
  const { store, files, domain } = deps;
  const newUid = deps.newUid ?? randomUUID;
  const page = (n: number) => ({ limit: PAGE_SIZE + 1, offset: (Math.max(1, n) - 1) * PAGE_SIZE });
  const listing = (items: MailboxItem[]): Listing => ({
    items: items.slice(0, PAGE_SIZE),
    hasMore: items.length > PAGE_SIZE,
  });
  const notFound = (uid: string) =>
    new LokoleError('NOT_FOUND', `No email ${uid} for this user.`, { reason: 'no-email' });

  async function open(userId: number | undefined, uid: string): Promise<OpenedEmail> {
    const email = await store.findEmail(uid);
    if (!email) throw notFound(uid);
    const folders = userId === undefined ? [] : await store.mailboxFolders(userId, email.id);
    if (folders.length === 0 && !email.isNews) throw notFound(uid);
    return { email, folders: folders.map((f) => f.folder), isRead: folders.some((f) => f.isRead) };
  }

  return {
    open,

    async listFolder(userId: number, folder: Folder, pageNumber = 1): Promise<Listing> {
      return listing(await store.listFolder(userId, folder, page(pageNumber)));
    },

    async search(userId: number, query: string, pageNumber = 1): Promise<Listing> {
      const match = toMatchExpression(query);
      if (!match) return { items: [], hasMore: false };
      return listing(await store.search(userId, match, page(pageNumber)));
    },

    unreadCount: (userId: number) => store.unreadCount(userId),

    async listNews(pageNumber = 1): Promise<Listing> {
      return listing(await store.listNews(page(pageNumber)));
    },

    async openNews(uid: string): Promise<StoredEmail> {
      const email = await store.findEmail(uid);
      if (!email?.isNews) throw notFound(uid);
      return email;
    },

    async setRead(userId: number, uid: string, isRead: boolean): Promise<void> {
      const { email, folders } = await open(userId, uid);
      if (folders.length === 0) throw notFound(uid);
      await store.setRead(userId, email.id, isRead);
    },

    /** Deletes the email for this user only; others who received it keep it. */
    async deleteForUser(userId: number, uid: string): Promise<void> {
      const { email, folders } = await open(userId, uid);
      if (folders.length === 0) throw notFound(uid);
      await store.deleteForUser(userId, email.id);
    },

    /** An attachment the user may see (news attachments for anyone), with its file. */
    async attachment(
      userId: number | undefined,
      uid: string,
      select: { position: number } | { cid: string },
    ): Promise<{ attachment: StoredAttachment; path: string | undefined }> {
      const { email } = await open(userId, uid);
      const attachment = email.attachments.find((a) =>
        'cid' in select ? a.cid === select.cid : a.position === select.position,
      );
      if (!attachment) {
        throw new LokoleError('NOT_FOUND', `Email ${uid} has no such attachment.`, {
          reason: 'no-attachment',
        });
      }
      const isThere = !attachment.deferred && (await files.has(attachment.sha256));
      return { attachment, path: isThere ? files.pathFor(attachment.sha256) : undefined };
    },

    /** An inline image by cid, for a caller the web edge has already authorised (a signed URL). */
    async inlineImage(
      uid: string,
      cid: string,
    ): Promise<{ attachment: StoredAttachment; path: string | undefined }> {
      const email = await store.findEmail(uid);
      const attachment = email?.attachments.find((a) => a.cid === cid);
      if (!attachment)
        throw new LokoleError('NOT_FOUND', `Email ${uid} has no image ${cid}.`, { reason: 'no-attachment' });
      const isThere = !attachment.deferred && (await files.has(attachment.sha256));
      return { attachment, path: isThere ? files.pathFor(attachment.sha256) : undefined };
    },

    /** Local addresses (of this device) that belong to nobody. news@ is someone. */
    async unknownLocalAddresses(addresses: string[]): Promise<string[]> {
      const local = addresses.filter((a) => isLocalAddress(a, domain) && a !== `news@${domain}`);
      const known = await store.usersByAddress(local);
      return local.filter((address) => !known.has(address));
    },

    /**
     * Sends an email: local recipients have it in their inbox at once; when
     * anyone is outside the device domain it waits in the sender's outbox
     * for the next sync, else it goes straight to the sender's sent folder.
     * Attachment files must already be in the file store.
     */
    async send(sender: Sender, message: Outgoing): Promise<{ uid: string; isWaiting: boolean }> {
      const now = deps.now();
      const uid = newUid();
      const sentAt = formatSentAt(now);
      const bodyHtml = sanitizeEmailHtml(message.bodyHtml);
      const recipients = [...new Set([...message.to, ...message.cc, ...message.bcc])];
      const isWaiting = recipients.some((address) => !isLocalAddress(address, domain));
      await store.transaction(async (tx) => {
        for (const attachment of message.attachments) {
          await tx.recordAttachment(attachment.sha256, attachment.size, now.toISOString());
        }
        const emailId = await tx.insertEmail({
          uid,
          from: sender.address,
          to: message.to,
          cc: message.cc,
          bcc: message.bcc,
          subject: message.subject,
          bodyHtml,
          bodyText: htmlToText(bodyHtml),
          sentAt,
          createdAt: now.toISOString(),
          isNews: isNewsEmail({ from: sender.address, ...message }, domain, deps.newsSenders),
          deliveryState: isWaiting ? 'waiting' : null,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            cid: a.cid ?? null,
            type: a.type,
            size: a.size,
            sha256: a.sha256,
            deferred: false,
            previewSha256: null,
          })),
        });
        const users = await tx.usersByAddress(recipients.filter((a) => isLocalAddress(a, domain)));
        await tx.addToMailboxes([
          { userId: sender.id, emailId, folder: isWaiting ? 'outbox' : 'sent', sentAt, isRead: true },
          ...[...new Set(users.values())].map((userId) => ({
            userId,
            emailId,
            folder: 'inbox' as const,
            sentAt,
            isRead: false,
          })),
        ]);
      });
      return { uid, isWaiting };
    },

    /** A message from the device itself (the welcome email): inbox only, never uploaded. */
    async deliverNotice(userId: number, to: string, subject: string, bodyHtml: string): Promise<string> {
      const now = deps.now();
      const uid = newUid();
      await store.transaction(async (tx) => {
        const sanitized = sanitizeEmailHtml(bodyHtml);
        const emailId = await tx.insertEmail({
          uid,
          from: `lokole@${domain}`,
          to: [to],
          cc: [],
          bcc: [],
          subject,
          bodyHtml: sanitized,
          bodyText: htmlToText(sanitized),
          sentAt: formatSentAt(now),
          createdAt: now.toISOString(),
          isNews: false,
          deliveryState: null,
          attachments: [],
        });
        await tx.addToMailboxes([
          { userId, emailId, folder: 'inbox', sentAt: formatSentAt(now), isRead: false },
        ]);
      });
      return uid;
    },

    /** For the sync client: import a protocol email inside the caller's transaction. */
    importEmail: (txStore: MailStore, email: Email, bytes: AttachmentBytes) =>
      importEmail({ ...deps, store: txStore }, email, bytes),

    countWaiting: () => store.countWaiting(),
  };
}
