import { hash, verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

export const MIN_PASSWORD_LENGTH = 8;

/** argon2id with the library's defaults (m = 19 MiB, t = 2, p = 1): about 15 ms on x64. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * Checks a password against an argon2id hash, or a bcrypt hash from the
 * original Lokole (`$2a$`/`$2b$`), which must then be re-hashed.
 */
export async function verifyPassword(
  passwordHash: string,
  password: string,
): Promise<{ isValid: boolean; needsRehash: boolean }> {
  if (/^\$2[aby]\$/.test(passwordHash)) {
    const isValid = await bcrypt.compare(password, passwordHash);
    return { isValid, needsRehash: isValid };
  }
  if (passwordHash.startsWith('$argon2')) {
    const isValid = await verify(passwordHash, password).catch(() => false);
    return { isValid, needsRehash: isValid && !passwordHash.startsWith('$argon2id$') };
  }
  return { isValid: false, needsRehash: false };
}

/** A password an admin reads out to a user: 12 letters and digits, no look-alikes (0/O, 1/l). */
export function generatePassword(random: (max: number) => number): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  let password = '';
  for (let i = 0; i < 12; i++) password += alphabet[random(alphabet.length)];
  return password;
}
