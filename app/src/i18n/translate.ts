import type { Catalog } from './catalogs.js';
import type { Language } from './languages.js';

export type Values = Record<string, string | number>;

export interface Translator {
  language: Language;
  /** The translation of `msgid`, with `%(name)s` placeholders filled from `values`. */
  _(msgid: string, values?: Values): string;
  /** The singular or plural translation for `n`; `%(n)s` is filled with `n`. */
  ngettext(singular: string, plural: string, n: number, values?: Values): string;
}

function fill(text: string, values: Values = {}): string {
  return text.replace(/%\((\w+)\)[sd]/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}

/**
 * A translator for one language. Plural forms follow CLDR through
 * Intl.PluralRules (Lingala and French count 0 as singular, English and
 * Swahili as plural), so every catalog has two forms: "one" and "other".
 */
export function createTranslator(language: Language, catalog: Catalog = new Map()): Translator {
  const rules = new Intl.PluralRules(language);
  return {
    language,
    _: (msgid, values) => fill(catalog.get(msgid)?.[0] || msgid, values),
    ngettext: (singular, plural, n, values) => {
      const isOne = rules.select(n) === 'one';
      const forms = catalog.get(singular);
      const text = (isOne ? forms?.[0] : forms?.[1]) || (isOne ? singular : plural);
      return fill(text, { n, ...values });
    },
  };
}
