import type { Logger } from 'pino';
import { isLokoleError, normalizeAddress, parseEmail, type Email } from '@lokole/protocol';
import {
  attachmentKey,
  type BlobStore,
  type MailStore,
  type MailTransport,
  type OutboundMessage,
  type ReportRecord,
} from './ports.js';
import type { ServiceMailboxes } from './services/index.js';

export interface OutboxDeps {
  readonly store: MailStore;
  readonly blobs: BlobStore;
  readonly transport: MailTransport;
  readonly rootDomain: string;
  readonly mailboxes: ServiceMailboxes;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface SubmitResult {
  /** Devices the email was queued for inside the cloud. */
  readonly devices: number;
  /** Recipients it will be sent to on the internet. */
  readonly external: number;
  /** Recipients at a Lokole domain that no device has: bounced at once. */
  readonly unknown: number;
}

export interface AttemptContext {
  readonly attempt: number;
  readonly isLastAttempt: boolean;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/**
 * Mail that Lokole users (or service mailboxes) wrote. `submit` stores it once and splits its
 * recipients: other Lokoles get it queued inside the cloud, never sent out; the rest is queued
 * for sending. `deliver` (a job) sends it, retries temporary failures through the job queue
 * and turns the outcome into delivery reports for the sending device.
 */
export function createOutbox(deps: OutboxDeps) {
  const { store, blobs, transport, rootDomain, mailboxes, now, log } = deps;
  const lokoleSuffix = `.${rootDomain}`;

  function report(deviceId: string | null, emailId: string, status: ReportRecord['status'], detail: string) {
    if (!deviceId) return Promise.resolve();
    return store.addReport({ deviceId, emailId, status, at: now().toISOString(), detail });
  }

  return {
    async submit(
      input: Email,
      from: { deviceId: string | null; origin: 'device' | 'service' },
    ): Promise<SubmitResult> {
      // Bcc lists stay with the sender: the stored copy, which other devices receive, has none.
      const email = parseEmail({ ...input, bcc: [] }, `email ${input._uid}`);
      const all = [...new Set([...input.to, ...input.cc, ...input.bcc].map(normalizeAddress))];
      const services = all.filter((address) => mailboxes.find(address));
      const others = all.filter((address) => !mailboxes.find(address));
      const devices = await store.findDevicesByDomains([...new Set(others.map(domainOf))]);
      const local = new Set(devices.map((device) => device.domain));
      const isLokole = (address: string) =>
        domainOf(address).endsWith(lokoleSuffix) || domainOf(address) === mailboxes.domain;
      const unknown = others.filter((address) => !local.has(domainOf(address)) && isLokole(address));
      const external = new Set(others.filter((address) => !isLokole(address)));
      const pick = (list: readonly string[]) =>
        list.map(normalizeAddress).filter((address) => external.has(address));
      const recipients = { to: pick(input.to), cc: pick(input.cc), bcc: pick(input.bcc) };

      return store.transaction(async (tx) => {
        const isNew = await tx.insertEmail({
          email,
          origin: from.origin,
          deviceId: from.deviceId,
          size: Buffer.byteLength(email.body) + email.attachments.reduce((sum, a) => sum + a.size, 0),
          createdAt: now().toISOString(),
        });
        if (!isNew) return { devices: 0, external: 0, unknown: 0 };
        // The sending device delivered to its own users when the mail was written.
        await tx.queueForDevices(
          email._uid,
          devices.filter((device) => device.id !== from.deviceId).map((device) => device.id),
          now(),
        );
        for (const address of services) await tx.enqueue('service-mail', { emailId: email._uid, address });
        if (external.size > 0) {
          await tx.insertOutbound({
            emailId: email._uid,
            deviceId: from.deviceId,
            recipients,
            state: 'queued',
            attempts: 0,
            lastError: null,
            createdAt: now().toISOString(),
          });
          await tx.enqueue('send-email', { emailId: email._uid });
        }
        if (unknown.length > 0 && from.deviceId) {
          await tx.addReport({
            deviceId: from.deviceId,
            emailId: email._uid,
            status: 'bounced',
            at: now().toISOString(),
            detail: `No Lokole has the address ${unknown.join(', ')}.`,
          });
        }
        return { devices: devices.length, external: external.size, unknown: unknown.length };
      });
    },

    /** Sends one queued email. Throws (so the job is retried) only for a temporary failure. */
    async deliver(emailId: string, context: AttemptContext): Promise<'sent' | 'bounced' | 'skipped'> {
      const record = await store.findOutbound(emailId);
      const stored = await store.findEmail(emailId);
      if (!record || !stored || record.state !== 'queued') return 'skipped';
      const { email } = stored;
      const message: OutboundMessage = {
        from: email.from,
        ...record.recipients,
        headerTo: email.to,
        headerCc: email.cc,
        subject: email.subject,
        html: email.body,
        date: email.sent_at ? new Date(`${email.sent_at.replace(' ', 'T')}:00Z`) : now(),
        messageId: `<${emailId}@${domainOf(email.from)}>`,
        attachments: email.attachments
          .filter((attachment) => !attachment.deferred)
          .map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.type,
            cid: attachment.cid,
            size: attachment.size,
            open: () => blobs.get(attachmentKey(attachment.sha256)),
          })),
      };
      const attempts = record.attempts + 1;
      try {
        const { messageId } = await transport.send(message);
        await store.transaction(async (tx) => {
          await tx.updateOutbound(emailId, {
            state: 'sent',
            attempts,
            lastError: null,
            messageId: messageId ?? null,
          });
          if (record.deviceId)
            await tx.addReport({
              deviceId: record.deviceId,
              emailId,
              status: 'sent',
              at: now().toISOString(),
              detail: `Sent through ${transport.name}.`,
            });
        });
        log.info({ emailId, attempts, transport: transport.name }, 'email sent');
        return 'sent';
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        // Anything that is not a LokoleError (a bug, a lost connection) counts as temporary.
        const temporary = !isLokoleError(error) || error.code === 'UNAVAILABLE';
        if (temporary && !context.isLastAttempt) {
          await store.updateOutbound(emailId, { state: 'queued', attempts, lastError: detail });
          await report(record.deviceId, emailId, 'deferred', `Not sent yet, will retry: ${detail}`);
          log.warn({ emailId, attempts, err: error }, 'sending failed; will retry');
          throw error;
        }
        const why = temporary ? `Gave up after ${attempts} attempts: ${detail}` : detail;
        await store.updateOutbound(emailId, { state: 'bounced', attempts, lastError: detail });
        await report(record.deviceId, emailId, 'bounced', why);
        log.warn({ emailId, attempts, err: error }, 'email bounced');
        return 'bounced';
      }
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
