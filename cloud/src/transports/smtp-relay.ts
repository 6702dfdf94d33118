import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { LokoleError } from '@lokole/protocol';
import type { MailTransport, OutboundMessage } from '../mail/index.js';

export interface DkimOptions {
  readonly domainName: string;
  readonly keySelector: string;
  readonly privateKey: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** Builds the MIME message: To and Cc as written, no Bcc header (Bcc recipients are only in the envelope). */
export async function composeMessage(message: OutboundMessage): Promise<MailComposer> {
  const attachments = await Promise.all(
    message.attachments.map(async (attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      ...(attachment.cid ? { cid: attachment.cid } : {}),
      content: await attachment.open(),
    })),
  );
  return new MailComposer({
    from: message.from,
    to: [...message.headerTo],
    cc: [...message.headerCc],
    subject: message.subject,
    html: message.html,
    date: message.date,
    messageId: message.messageId,
    attachments,
  });
}

/** An SMTP relay (any smarthost, or a local sink in development); DKIM-signs when a key is set. */
export function createSmtpRelayTransport(options: {
  url: string;
  dkim?: DkimOptions | undefined;
}): MailTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
    ...(options.dkim ? { dkim: { ...options.dkim } } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const host = new URL(options.url).host;

  return {
    name: `SMTP relay ${host}`,
    async send(message) {
      const composer = await composeMessage(message);
      try {
        const info = (await transporter.sendMail({
          envelope: { from: message.from, to: [...message.to, ...message.cc, ...message.bcc] },
          raw: composer.compile().createReadStream(),
        })) as { messageId?: string; rejected?: unknown[] };
        return { messageId: info.messageId };
      } catch (error) {
        throw classify(error as SmtpError, host);
      }
    },
    close() {
      transporter.close();
    },
  };
}

/** 4xx replies and lost connections are temporary (retry); 5xx replies are permanent (bounce). */
function classify(error: SmtpError, host: string): LokoleError {
  const reply = error.response ?? error.message ?? String(error);
  if (error.responseCode !== undefined && error.responseCode >= 500) {
    return new LokoleError('INVALID_INPUT', `The relay ${host} refused the message: ${reply}`, {
      reason: 'rejected-by-relay',
      cause: error,
    });
  }
  return new LokoleError('UNAVAILABLE', `The relay ${host} could not take the message now: ${reply}`, {
    reason: 'relay-unavailable',
    cause: error,
  });
}
