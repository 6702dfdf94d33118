import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { po } from 'gettext-parser';
import { LANGUAGES, type Language } from './languages.js';

/** msgid → its translations (one per plural form). Fuzzy entries are left out: they are guesses. */
export type Catalog = ReadonlyMap<string, readonly string[]>;

export function parseCatalog(source: Buffer | string): Catalog {
  const parsed = po.parse(source);
  const catalog = new Map<string, string[]>();
  for (const entries of Object.values(parsed.translations)) {
    for (const entry of Object.values(entries)) {
      const isFuzzy = entry.comments?.flag?.split(',').some((flag) => flag.trim() === 'fuzzy') ?? false;
      if (!entry.msgid || isFuzzy || entry.msgstr.every((text) => text === '')) continue;
      catalog.set(entry.msgid, entry.msgstr);
    }
  }
  return catalog;
}

/** Reads `<dir>/<lang>/LC_MESSAGES/messages.po` for every language but English. */
export async function loadCatalogs(dir: string): Promise<ReadonlyMap<Language, Catalog>> {
  const catalogs = new Map<Language, Catalog>();
  for (const { code } of LANGUAGES) {
    if (code === 'en') continue;
    catalogs.set(code, parseCatalog(await readFile(path.join(dir, code, 'LC_MESSAGES', 'messages.po'))));
  }
  return catalogs;
}
