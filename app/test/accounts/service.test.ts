import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { checkName, normalizeName } from '../../src/accounts/index.js';
import { createTestContext, DOMAIN } from '../helpers/context.js';

test('names are letters, digits, dots and dashes; reserved names are refused', (t) => {
  t.is(checkName('mama-ngozi.2'), undefined);
  t.is(checkName('admin'), 'name-reserved');
  t.is(checkName('abuse'), 'name-reserved');
  t.is(checkName('café'), 'name-characters');
  t.is(checkName('a_b'), 'name-characters');
  t.is(checkName('-ab'), 'name-edges');
  t.is(checkName('a..b'), 'name-edges');
  t.is(checkName(''), 'name-empty');
  t.is(normalizeName(' Ana@Kinshasa.Lokole.CA ', DOMAIN), 'ana');
});

test('passwords are hashed with argon2id', async (t) => {
  const c = await createTestContext(t);
  const ana = await c.user('ana');
  const row = await c.db('users').where({ id: ana.id }).first();
  t.regex(row.password_hash, /^\$argon2id\$/);
  t.is(ana.address, `ana@${DOMAIN}`);
});

test('sign-up errors carry a reason for the UI', async (t) => {
  const c = await createTestContext(t);
  await c.user('ana');
  for (const [name, password, confirmation, reason] of [
    ['ANA', 'correct horse', 'correct horse', 'name-taken'],
    ['root', 'correct horse', 'correct horse', 'name-reserved'],
    ['ben', 'short', 'short', 'password-short'],
    ['ben', 'correct horse', 'correct horsE', 'password-mismatch'],
  ] as const) {
    const error = await t.throwsAsync(c.accounts.signUp(name, password, confirmation));
    t.true(isLokoleError(error, 'INVALID_INPUT'));
    t.is((error as { reason?: string }).reason, reason);
  }
});

test('admins cannot act on themselves, cannot suspend an admin, and promote only active users', async (t) => {
  const c = await createTestContext(t);
  const boss = await c.user('boss', 'admin');
  const ana = await c.user('ana');
  const other = await c.user('other', 'admin');
  await t.throwsAsync(c.accounts.demote(boss.id, boss.id), { message: /own account/ });
  await t.throwsAsync(c.accounts.suspend(boss.id, other.id), { message: /Demote an admin/ });
  await c.accounts.suspend(boss.id, ana.id);
  t.is(await c.accounts.activeUser(ana.id), undefined);
  await t.throwsAsync(c.accounts.promote(boss.id, ana.id), { message: /Reactivate/ });
  await c.accounts.reactivate(boss.id, ana.id);
  await c.accounts.promote(boss.id, ana.id);
  t.is((await c.accounts.activeUser(ana.id))?.role, 'admin');
  const error = await t.throwsAsync(c.accounts.promote(boss.id, 999));
  t.true(isLokoleError(error, 'NOT_FOUND'));
});

test('a reset password is 12 unambiguous characters and replaces the old one', async (t) => {
  const c = await createTestContext(t);
  const boss = await c.user('boss', 'admin');
  const ana = await c.user('ana');
  const password = await c.accounts.resetPassword(boss.id, ana.id);
  t.regex(password, /^[a-km-np-z2-9]{12}$/);
  t.is(await c.accounts.logIn('ana', 'correct horse'), undefined);
  t.is((await c.accounts.logIn('ana', password))?.id, ana.id);
});
