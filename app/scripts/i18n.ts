// `make i18n`: extracts every message from app/src (.ts and .ejs) and merges
// the catalogs in app/translations, keeping existing translations.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseCatalog } from '../src/i18n/catalogs.js';
import { extractMessages, mergeCatalog } from '../src/i18n/extract.js';
import { LANGUAGES } from '../src/i18n/languages.js';

const app = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|ejs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const files = await Promise.all(
  (await sources(path.join(app, 'src'))).map(async (file) => ({
    name: path.relative(app, file),
    text: await readFile(file, 'utf8'),
  })),
);
const messages = extractMessages(files);
await writeFile(path.join(app, 'translations', 'messages.pot'), mergeCatalog('en', messages));
for (const { code } of LANGUAGES) {
  if (code === 'en') continue;
  const file = path.join(app, 'translations', code, 'LC_MESSAGES', 'messages.po');
  await mkdir(path.dirname(file), { recursive: true });
  const merged = mergeCatalog(code, messages, await readFile(file).catch(() => undefined));
  await writeFile(file, merged);
  const translated = parseCatalog(merged);
  const untranslated = messages.filter((message) => !translated.has(message.msgid)).length;
  console.log(
    `${code}: ${messages.length} messages, ${untranslated} to translate (${path.relative(app, file)})`,
  );
}
