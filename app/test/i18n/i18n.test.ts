import test from 'ava';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  createTranslator,
  languageFromHeader,
  loadCatalogs,
  parseCatalog,
  pickLanguage,
  LANGUAGES,
} from '../../src/i18n/index.js';
import { extractMessages, mergeCatalog } from '../../src/i18n/extract.js';

const app = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

test('the browser language is taken by its q-values, falling back to a supported one', (t) => {
  t.is(languageFromHeader('fr-CD,fr;q=0.9,en;q=0.8'), 'fr');
  t.is(languageFromHeader('de-DE,de;q=0.9,sw;q=0.5,ln;q=0.7'), 'ln');
  t.is(languageFromHeader('de'), undefined);
  t.is(languageFromHeader(undefined), undefined);
});

test('the session choice wins over the user setting, which wins over the browser', (t) => {
  t.is(pickLanguage({ session: 'sw', user: 'fr', acceptLanguage: 'ln' }), 'sw');
  t.is(pickLanguage({ user: 'fr', acceptLanguage: 'ln' }), 'fr');
  t.is(pickLanguage({ acceptLanguage: 'ln-CD' }), 'ln');
  t.is(pickLanguage({ session: 'xx', acceptLanguage: 'de' }), 'en');
});

test('placeholders are filled and an untranslated message falls back to English', (t) => {
  const fr = createTranslator('fr', new Map([['Hello %(name)s', ['Bonjour %(name)s']]]));
  t.is(fr._('Hello %(name)s', { name: 'Ana' }), 'Bonjour Ana');
  t.is(fr._('Not translated yet'), 'Not translated yet');
});

test('plural forms follow the language: zero is singular in French and Lingala, plural in English', (t) => {
  const forms = new Map([['%(n)s email', ['%(n)s courriel', '%(n)s courriels']]]);
  const fr = createTranslator('fr', forms);
  t.is(fr.ngettext('%(n)s email', '%(n)s emails', 0), '0 courriel');
  t.is(fr.ngettext('%(n)s email', '%(n)s emails', 2), '2 courriels');
  t.is(createTranslator('ln').ngettext('%(n)s email', '%(n)s emails', 0), '0 email');
  t.is(createTranslator('en').ngettext('%(n)s email', '%(n)s emails', 0), '0 emails');
});

test('messages are found in TypeScript and in EJS attributes, with their places', (t) => {
  const messages = extractMessages([
    { name: 'a.ts', text: "const x = _('Inbox');\nt.ngettext('%(n)s new', '%(n)s new ones', n);" },
    { name: 'v.ejs', text: '<input placeholder="<%= _(\'Search mail\') %>">\n<%= _("Inbox") %>' },
  ]);
  t.deepEqual(messages, [
    { msgid: '%(n)s new', plural: '%(n)s new ones', references: ['a.ts:2'] },
    { msgid: 'Inbox', references: ['a.ts:1', 'v.ejs:2'] },
    { msgid: 'Search mail', references: ['v.ejs:1'] },
  ]);
});

test('merging keeps existing translations, adds new messages and drops unused ones', (t) => {
  const before = mergeCatalog('fr', [
    { msgid: 'Inbox', references: [] },
    { msgid: 'Old', references: [] },
  ]);
  const translated = before
    .toString()
    .replace('msgid "Inbox"\nmsgstr ""', 'msgid "Inbox"\nmsgstr "Boîte de réception"');
  const after = parseCatalog(
    mergeCatalog(
      'fr',
      [
        { msgid: 'Inbox', references: [] },
        { msgid: 'New', references: [] },
      ],
      translated,
    ),
  );
  t.deepEqual([...after], [['Inbox', ['Boîte de réception']]]);
  t.regex(mergeCatalog('fr', []).toString(), /Plural-Forms: nplurals=2; plural=\(n > 1\);/);
});

test('a fuzzy translation is not used', (t) => {
  const catalog = parseCatalog('msgid ""\nmsgstr ""\n\n#, fuzzy\nmsgid "Inbox"\nmsgstr "Boîte"\n');
  t.false(catalog.has('Inbox'));
});

test('every message of the webmail is translated in every language, with the same placeholders', async (t) => {
  const entries = await readdir(path.join(app, 'src'), { withFileTypes: true, recursive: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && /\.(ts|ejs)$/.test(entry.name))
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { name: path.relative(app, file), text: await readFile(file, 'utf8') };
      }),
  );
  const messages = extractMessages(files);
  const catalogs = await loadCatalogs(path.join(app, 'translations'));
  const placeholders = (text: string) =>
    [...text.matchAll(/%\((\w+)\)[sd]/g)].map((match) => match[1]).sort();
  for (const { code } of LANGUAGES.filter((language) => language.code !== 'en')) {
    const catalog = catalogs.get(code)!;
    const missing = messages
      .filter((message) => !catalog.get(message.msgid)?.every(Boolean))
      .map((m) => m.msgid);
    t.deepEqual(missing, [], `${code}: run "make i18n" and translate these`);
    for (const message of messages) {
      for (const translation of catalog.get(message.msgid) ?? []) {
        t.deepEqual(
          placeholders(translation),
          placeholders(
            message.plural && translation !== catalog.get(message.msgid)![0] ? message.plural : message.msgid,
          ),
          `${code}: ${message.msgid}`,
        );
      }
    }
  }
});
