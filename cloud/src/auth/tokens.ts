import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `lka_` admin tokens, `lkd_` device tokens: recognisable in logs and by secret scanners. */
export type TokenPrefix = 'lka_' | 'lkd_';

export interface NewToken {
  /** Shown once, never stored. */
  readonly token: string;
  /** What is stored: sha256 hex of the token. */
  readonly hash: string;
}

export function createToken(prefix: TokenPrefix): NewToken {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares two hex hashes in constant time. */
export function isSameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
