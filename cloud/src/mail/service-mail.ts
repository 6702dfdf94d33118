import type { Logger } from 'pino';
import type { Outbox } from './outbox.js';
import type { MailStore } from './ports.js';
import type { ServiceMailboxes } from './services/index.js';

/** Runs a service mailbox on one received email and submits its replies (the `service-mail` job). */
export function createServiceMail(deps: {
  store: MailStore;
  outbox: Outbox;
  mailboxes: ServiceMailboxes;
  now: () => Date;
  log: Logger;
}) {
  const { store, outbox, mailboxes, now, log } = deps;
  return {
    async handle(emailId: string, address: string): Promise<number> {
      const mailbox = mailboxes.find(address);
      const stored = await store.findEmail(emailId);
      if (!mailbox || !stored) return 0;
      const replies = await mailbox.reply(stored.email, { address, now: now() });
      for (const reply of replies) await outbox.submit(reply, { deviceId: null, origin: 'service' });
      log.info({ emailId, address, replies: replies.length }, 'service mailbox answered');
      return replies.length;
    },
  };
}

export type ServiceMail = ReturnType<typeof createServiceMail>;
