import { createHash } from 'node:crypto';
import { formatSentAt, type Email } from '@lokole/protocol';
import type { ServiceMailbox } from './index.js';

/** `echo@`: sends the same message back to its sender, which tests a Lokole end to end. */
export const echoMailbox: ServiceMailbox = {
  localPart: 'echo',
  reply(email, { address, now }): Email[] {
    // Never answer another service mailbox (or ourselves): two robots would talk for ever.
    if (email.from.endsWith(address.slice(address.lastIndexOf('@')))) return [];
    return [
      {
        ...email,
        _uid: createHash('sha256').update(`echo:${email._uid}`).digest('hex'),
        from: address,
        to: [email.from],
        cc: [],
        bcc: [],
        sent_at: formatSentAt(now),
      },
    ];
  },
};
