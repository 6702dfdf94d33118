export {
  LANGUAGES,
  DEFAULT_LANGUAGE,
  isLanguage,
  languageFromHeader,
  pickLanguage,
  type Language,
} from './languages.js';
export { loadCatalogs, parseCatalog, type Catalog } from './catalogs.js';
export { createTranslator, type Translator, type Values } from './translate.js';
