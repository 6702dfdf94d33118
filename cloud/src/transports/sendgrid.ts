import { buffer } from 'node:stream/consumers';
import { LokoleError } from '@lokole/protocol';
import type { MailTransport } from '../mail/index.js';

/**
 * SendGrid's v3 Mail Send API with plain fetch. SendGrid builds the MIME itself, so the headers
 * show only the recipients it sends to; the From is the user's real address at the device domain
 * (the domain must be authenticated in SendGrid, see the README).
 */
export function createSendgridTransport(options: {
  apiKey: string;
  apiUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): MailTransport {
  const doFetch = options.fetch ?? fetch;
  return {
    name: 'SendGrid',
    async send(message) {
      // SendGrid refuses an address that appears twice across to, cc and bcc; and needs a `to`.
      const seen = new Set<string>();
      const unique = (list: readonly string[]) =>
        list
          .filter((address) => !seen.has(address) && Boolean(seen.add(address)))
          .map((email) => ({ email }));
      let to = unique(message.to);
      let cc = unique(message.cc);
      let bcc = unique(message.bcc);
      if (to.length === 0) [to, cc] = cc.length > 0 ? [cc, []] : [bcc, []];
      if (to === bcc) bcc = [];
      const attachments = await Promise.all(
        message.attachments.map(async (attachment) => ({
          content: (await buffer(await attachment.open())).toString('base64'),
          filename: attachment.filename,
          type: attachment.contentType,
          disposition: attachment.cid ? 'inline' : 'attachment',
          ...(attachment.cid ? { content_id: attachment.cid } : {}),
        })),
      );
      const body = {
        personalizations: [{ to, ...(cc.length ? { cc } : {}), ...(bcc.length ? { bcc } : {}) }],
        from: { email: message.from },
        subject: message.subject || '(no subject)',
        content: [{ type: 'text/html', value: message.html || '<p></p>' }],
        headers: { 'Message-ID': message.messageId },
        ...(attachments.length ? { attachments } : {}),
      };
      let response: Response;
      try {
        response = await doFetch(`${options.apiUrl}/v3/mail/send`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        throw new LokoleError('UNAVAILABLE', `SendGrid could not be reached: ${String(error)}`, {
          reason: 'sendgrid-unreachable',
          cause: error,
        });
      }
      if (response.status === 202 || response.status === 200) {
        return { messageId: response.headers.get('x-message-id') ?? undefined };
      }
      const text = (await response.text()).slice(0, 500);
      if (response.status === 429 || response.status >= 500) {
        throw new LokoleError('UNAVAILABLE', `SendGrid answered ${response.status}, try later: ${text}`, {
          reason: 'sendgrid-unavailable',
        });
      }
      throw new LokoleError('INVALID_INPUT', `SendGrid refused the message (${response.status}): ${text}`, {
        reason: 'rejected-by-sendgrid',
      });
    },
  };
}
