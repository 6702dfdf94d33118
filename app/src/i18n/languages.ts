/** The languages the webmail speaks. English is the source language of every message. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'ln', name: 'Lingála' },
  { code: 'sw', name: 'Kiswahili' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((language) => language.code === value);
}

/**
 * The best supported language of an Accept-Language header, by its q-values
 * (`fr-CD,fr;q=0.9,en;q=0.8` → `fr`), or undefined.
 */
export function languageFromHeader(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLanguage);
}

/**
 * The language for one request: what this session chose, else the user's
 * saved choice, else the browser's, else English.
 */
export function pickLanguage(choices: {
  session?: unknown;
  user?: unknown;
  acceptLanguage?: string;
}): Language {
  if (isLanguage(choices.session)) return choices.session;
  if (isLanguage(choices.user)) return choices.user;
  return languageFromHeader(choices.acceptLanguage) ?? DEFAULT_LANGUAGE;
}
