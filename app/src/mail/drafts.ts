import { htmlToText } from './sanitize.js';
import type { StoredEmail } from './types.js';

export type DraftMode = 'reply' | 'reply-all' | 'forward';

export interface Draft {
  to: string[];
  cc: string[];
  subject: string;
  /** Plain text: the no-JavaScript textarea shows it as is; the editor turns it into HTML. */
  body: string;
  /** The original's attachments that a forward carries along. */
  forwardUid?: string;
}

function prefixed(prefix: string, subject: string): string {
  return subject.toLowerCase().startsWith(prefix.toLowerCase()) ? subject : `${prefix} ${subject}`.trim();
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}

/**
 * What the compose form starts with for a reply, reply-all or forward.
 * `header` is the translated "On … wrote:" line. Reply-all answers the
 * sender and everyone in to and cc but the user; bcc is never copied.
 */
export function makeDraft(email: StoredEmail, mode: DraftMode, self: string, header: string): Draft {
  const text = htmlToText(email.bodyHtml);
  if (mode === 'forward') {
    return {
      to: [],
      cc: [],
      subject: prefixed('Fwd:', email.subject),
      body: `\n\n${header}\n${text}`,
      forwardUid: email.uid,
    };
  }
  const replyTo = email.from === self ? email.to : [email.from];
  const others =
    mode === 'reply-all'
      ? [...email.to, ...email.cc].filter((address) => address !== self && !replyTo.includes(address))
      : [];
  return {
    to: replyTo,
    cc: [...new Set(others)],
    subject: prefixed('Re:', email.subject),
    body: `\n\n${header}\n${quote(text)}`,
  };
}
