import { formatSentAt, type Email } from '@lokole/protocol';
import { isLocalAddress } from './addresses.js';
import type { AttachmentFiles } from './attachment-files.js';
import { htmlToText, sanitizeEmailHtml } from './sanitize.js';
import type { MailStore } from './types.js';

export interface ImportDeps {
  /** Bound to the caller's transaction: the sync client commits a whole package or nothing. */
  store: MailStore;
  files: AttachmentFiles;
  domain: string;
  newsSenders: readonly string[];
  now: () => Date;
}

/** The bytes of one attachment of the email, by SHA-256; undefined when they did not travel. */
export type AttachmentBytes = (sha256: string) => Buffer | undefined | Promise<Buffer | undefined>;

/**
 * Mail to news@ shows on the public news page only when it comes from an
 * allowed sender; otherwise nobody sees it (the original dropped it).
 */
export function isNewsEmail(
  email: Pick<Email, 'from' | 'to' | 'cc' | 'bcc'>,
  domain: string,
  senders: readonly string[],
) {
  const news = `news@${domain}`;
  return senders.includes(email.from) && [...email.to, ...email.cc, ...email.bcc].includes(news);
}

/**
 * Imports one email from a sync package, idempotently by `_uid`: a second
 * import changes nothing. Its HTML is sanitised before it is stored, its
 * attachment bytes go to the file store (deferred ones travel later), and it
 * lands in the inbox of every local recipient. Returns false for an email
 * seen before.
 */
export async function importEmail(deps: ImportDeps, email: Email, bytes: AttachmentBytes): Promise<boolean> {
  const { store, files, domain } = deps;
  if (await store.hasEmail(email._uid)) return false;
  const createdAt = deps.now().toISOString();
  for (const attachment of email.attachments) {
    if (attachment.deferred) continue;
    if (!(await files.has(attachment.sha256))) {
      const content = await bytes(attachment.sha256);
      if (!content) continue; // the protocol reader has checked that it travelled; a gap is not fatal here
      await files.putBuffer(content, attachment.sha256);
    }
    await store.recordAttachment(attachment.sha256, attachment.size, createdAt);
  }
  const bodyHtml = sanitizeEmailHtml(email.body);
  const emailId = await store.insertEmail({
    uid: email._uid,
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    subject: email.subject,
    bodyHtml,
    bodyText: htmlToText(bodyHtml),
    sentAt: email.sent_at ?? formatSentAt(deps.now()),
    createdAt,
    isNews: isNewsEmail(email, domain, deps.newsSenders),
    deliveryState: null,
    attachments: email.attachments.map((attachment) => ({
      filename: attachment.filename,
      cid: attachment.cid ?? null,
      type: attachment.type,
      size: attachment.size,
      sha256: attachment.sha256,
      deferred: attachment.deferred ?? false,
      previewSha256: attachment.preview ?? null,
    })),
  });
  const local = [...email.to, ...email.cc, ...email.bcc].filter((address) => isLocalAddress(address, domain));
  const users = await store.usersByAddress(local);
  await store.addToMailboxes(
    [...new Set(users.values())].map((userId) => ({
      userId,
      emailId,
      folder: 'inbox' as const,
      sentAt: email.sent_at ?? formatSentAt(deps.now()),
      isRead: false,
    })),
  );
  return true;
}
