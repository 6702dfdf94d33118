import type { Email } from '@lokole/protocol';

/**
 * A service mailbox: an address at the service domain (`echo@bot.lokole.ca`) whose mail a
 * program answers instead of a person. Replies go out through the outbox like any mail, so a
 * reply to a Lokole user stays inside the cloud.
 */
export interface ServiceMailbox {
  /** The part before the @. */
  readonly localPart: string;
  /** The replies to one received email. Their `_uid`s must derive from the email's, so a rerun sends nothing twice. */
  reply(email: Email, context: { readonly address: string; readonly now: Date }): Promise<Email[]> | Email[];
}

export interface ServiceMailboxes {
  readonly domain: string;
  find(address: string): ServiceMailbox | undefined;
}

export function createServiceMailboxes(
  domain: string,
  mailboxes: readonly ServiceMailbox[],
): ServiceMailboxes {
  const byLocalPart = new Map(mailboxes.map((mailbox) => [mailbox.localPart, mailbox]));
  return {
    domain,
    find(address) {
      const at = address.lastIndexOf('@');
      if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) return undefined;
      return byLocalPart.get(address.slice(0, at).toLowerCase());
    },
  };
}

export { echoMailbox } from './echo.js';
