import test from 'ava';
import { createToken, hashToken, isSameHash } from '../../src/auth/index.js';

test('a token is its prefix and 32 random bytes in base64url, and its hash is sha256 hex', (t) => {
  const { token, hash } = createToken('lka_');
  t.regex(token, /^lka_[A-Za-z0-9_-]{43}$/);
  t.is(hash, hashToken(token));
  t.regex(hash, /^[0-9a-f]{64}$/);
  t.not(createToken('lka_').token, token);
});

test('hashes compare equal only when identical', (t) => {
  const hash = hashToken('lkd_x');
  t.true(isSameHash(hash, hashToken('lkd_x')));
  t.false(isSameHash(hash, hashToken('lkd_y')));
  t.false(isSameHash(hash, ''));
});
