import { po, type GetTextTranslation, type GetTextTranslations } from 'gettext-parser';
import type { Language } from './languages.js';

export interface Message {
  msgid: string;
  plural?: string;
  /** Where it is used: `src/web/views/inbox.ejs:12`. */
  references: string[];
}

const STRING = String.raw`(['"\`])((?:\\.|(?!\1)[^\\])*)\1`;
const SINGULAR = new RegExp(String.raw`(?<![\w.$])_\(\s*${STRING}`, 'g');
const PLURAL = new RegExp(
  String.raw`\bngettext\(\s*${STRING}\s*,\s*${STRING.replace('\\1', '\\3').replace('\\1', '\\3')}`,
  'g',
);

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_match, char: string) => (char === 'n' ? '\n' : char));
}

/**
 * The messages that `_()` and `ngettext()` calls name in source text, with
 * their places. Works on .ts and on .ejs, inside attributes too, where
 * xgettext does not look.
 */
export function extractMessages(files: { name: string; text: string }[]): Message[] {
  const messages = new Map<string, Message>();
  const add = (msgid: string, plural: string | undefined, name: string, text: string, index: number) => {
    const reference = `${name}:${text.slice(0, index).split('\n').length}`;
    const message = messages.get(msgid) ?? { msgid, references: [], ...(plural ? { plural } : {}) };
    message.references.push(reference);
    messages.set(msgid, message);
  };
  for (const { name, text } of files) {
    for (const match of text.matchAll(SINGULAR)) add(unescape(match[2]!), undefined, name, text, match.index);
    for (const match of text.matchAll(PLURAL))
      add(unescape(match[2]!), unescape(match[4]!), name, text, match.index);
  }
  return [...messages.values()].sort((a, b) => a.msgid.localeCompare(b.msgid));
}

const PLURAL_FORMS: Record<Language, string> = {
  en: 'nplurals=2; plural=(n != 1);',
  fr: 'nplurals=2; plural=(n > 1);',
  ln: 'nplurals=2; plural=(n > 1);',
  sw: 'nplurals=2; plural=(n != 1);',
};

/**
 * A catalog for `language` holding exactly `messages`: translations already
 * in `existing` are kept, new messages are left to translate, messages no
 * longer used are dropped.
 */
export function mergeCatalog(language: Language, messages: Message[], existing?: Buffer | string): Buffer {
  const old = existing ? po.parse(existing) : undefined;
  const known = old?.translations[''] ?? {};
  const translations: Record<string, GetTextTranslation> = {
    '': { msgid: '', msgstr: [''] },
  };
  for (const message of messages) {
    const previous = known[message.msgid];
    translations[message.msgid] = {
      msgid: message.msgid,
      ...(message.plural ? { msgid_plural: message.plural } : {}),
      msgstr: previous?.msgstr ?? (message.plural ? ['', ''] : ['']),
      comments: {
        reference: message.references.join('\n'),
        ...(previous?.comments?.flag ? { flag: previous.comments.flag } : {}),
      },
    };
  }
  const table: GetTextTranslations = {
    charset: 'utf-8',
    headers: {
      'Project-Id-Version': 'lokole',
      Language: language,
      'MIME-Version': '1.0',
      'Content-Type': 'text/plain; charset=UTF-8',
      'Content-Transfer-Encoding': '8bit',
      'Plural-Forms': PLURAL_FORMS[language],
    },
    translations: { '': translations },
  };
  return po.compile(table, { foldLength: 0, sort: (a, b) => a.msgid.localeCompare(b.msgid) });
}
