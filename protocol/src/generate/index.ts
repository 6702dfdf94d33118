/**
 * A deterministic generator of realistic Lokole mail, for tests and
 * benchmarks: text in French, Lingala, Swahili and English with replies and
 * forwards, and the attachments of a typical day (phone photos, PDFs, Word
 * files, inline logos), as `Email` objects plus their blobs. `loadRealMail`
 * gives real ham from the SpamAssassin corpus instead (dev dependencies only).
 */
export { generateMail, type GenerateOptions, type GeneratedMail } from './mail.js';
export { createRandom, type Random } from './random.js';
export { loadRealMail, type RealMail, type RealMailOptions, type SkipReason } from './real-mail.js';
