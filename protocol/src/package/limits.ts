/**
 * What a reader accepts from a peer. Every number bounds either memory (one
 * line, one email) or what a hostile package could make us write to disk.
 */
export interface Limits {
  /** Everything the package holds once decompressed: text members plus attachment bytes. */
  maxTotalBytes: number;
  /** One JSON line of a version 2 text member (an email without its attachment bytes). */
  maxLineBytes: number;
  /** One version 1 email line, attachments inline as base64: this bounds the reader's memory. */
  maxEmailBytes: number;
  maxEmails: number;
  /** Distinct attachment contents in one package. */
  maxAttachments: number;
  maxAttachmentBytes: number;
  /** Decompressed bytes per compressed byte, checked once a stream has inflated past 1 MiB. */
  maxCompressionRatio: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxTotalBytes: 1024 * MiB,
  maxLineBytes: 4 * MiB,
  maxEmailBytes: 80 * MiB,
  maxEmails: 100_000,
  maxAttachments: 50_000,
  maxAttachmentBytes: 40 * MiB,
  maxCompressionRatio: 100,
});

/** Below this many inflated bytes the ratio guard stays quiet: tiny, repetitive members are normal. */
export const RATIO_GRACE_BYTES = MiB;

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
