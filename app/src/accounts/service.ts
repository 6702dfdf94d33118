import { randomInt } from 'node:crypto';
import { LokoleError } from '@lokole/protocol';
import { checkName, normalizeName } from './names.js';
import { MIN_PASSWORD_LENGTH, generatePassword, hashPassword, verifyPassword } from './passwords.js';
import type { AccountStore, Role, User, UserWithHash } from './types.js';

export interface AccountsDeps {
  store: AccountStore;
  /** The device domain: addresses are `<name>@<domain>`. */
  domain: string;
  now: () => Date;
}

export type Accounts = ReturnType<typeof createAccounts>;

function strip({ passwordHash, ...user }: UserWithHash): User {
  void passwordHash;
  return user;
}

function invalid(reason: string, message: string): LokoleError {
  return new LokoleError('INVALID_INPUT', message, { reason });
}

function checkNewPassword(password: string, confirmation: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid('password-short', `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password !== confirmation) throw invalid('password-mismatch', 'The two passwords differ.');
}

/**
 * Sign-up, log-in and the admin's user operations. Errors are LokoleErrors
 * whose `reason` the web UI turns into a message in the user's language.
 */
export function createAccounts({ store, domain, now }: AccountsDeps) {
  const stamp = () => now().toISOString();

  async function create(rawName: string, password: string, confirmation: string, role: Role): Promise<User> {
    const name = normalizeName(rawName, domain);
    const problem = checkName(name);
    if (problem) throw invalid(problem, `"${name}" cannot be an account name (${problem}).`);
    checkNewPassword(password, confirmation);
    if (await store.findUserByName(name)) throw invalid('name-taken', `The name "${name}" is taken.`);
    return store.insertUser({
      name,
      address: `${name}@${domain}`,
      passwordHash: await hashPassword(password),
      role,
      createdAt: stamp(),
    });
  }

  async function requireUser(id: number): Promise<UserWithHash> {
    const user = await store.findUserById(id);
    if (!user) throw new LokoleError('NOT_FOUND', `There is no user ${id}.`, { reason: 'no-user' });
    return user;
  }

  /** Admin operations must not lock the device out: an admin cannot act on themself. */
  async function requireOther(actorId: number, targetId: number): Promise<UserWithHash> {
    if (actorId === targetId) {
      throw new LokoleError('FORBIDDEN', 'An admin cannot do this to their own account.', { reason: 'self' });
    }
    return requireUser(targetId);
  }

  return {
    signUp: (name: string, password: string, confirmation: string) =>
      create(name, password, confirmation, 'user'),

    createAdmin: (name: string, password: string) => create(name, password, password, 'admin'),

    /** The user for a name or full address and password; undefined when they do not match. */
    async logIn(login: string, password: string): Promise<User | undefined> {
      const user = await store.findUserByName(normalizeName(login, domain));
      // Verify against a real hash even for unknown names, so timing does not reveal which names exist.
      const { isValid, needsRehash } = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
      if (!user || !isValid) return undefined;
      if (user.isSuspended) {
        throw new LokoleError('FORBIDDEN', `The account ${user.name} is suspended.`, { reason: 'suspended' });
      }
      await store.updateUser(user.id, {
        lastLoginAt: stamp(),
        ...(needsRehash ? { passwordHash: await hashPassword(password) } : {}),
      });
      return strip(user);
    },

    async changePassword(
      userId: number,
      current: string,
      password: string,
      confirmation: string,
    ): Promise<void> {
      const user = await requireUser(userId);
      if (!(await verifyPassword(user.passwordHash, current)).isValid) {
        throw invalid('password-wrong', 'The current password is wrong.');
      }
      checkNewPassword(password, confirmation);
      await store.updateUser(userId, { passwordHash: await hashPassword(password) });
    },

    /** An active user, or undefined (unknown or suspended). */
    async activeUser(id: number): Promise<User | undefined> {
      const user = await store.findUserById(id);
      return user && !user.isSuspended ? strip(user) : undefined;
    },

    listUsers: () => store.listUsers(),

    async setLanguage(userId: number, language: string): Promise<void> {
      await store.updateUser(userId, { language });
    },

    async suspend(actorId: number, targetId: number): Promise<void> {
      const user = await requireOther(actorId, targetId);
      if (user.role === 'admin') {
        throw new LokoleError('FORBIDDEN', 'Demote an admin before suspending them.', {
          reason: 'suspend-admin',
        });
      }
      await store.updateUser(targetId, { isSuspended: true });
    },

    async reactivate(actorId: number, targetId: number): Promise<void> {
      await requireOther(actorId, targetId);
      await store.updateUser(targetId, { isSuspended: false });
    },

    async promote(actorId: number, targetId: number): Promise<void> {
      const user = await requireOther(actorId, targetId);
      if (user.isSuspended) {
        throw new LokoleError('FORBIDDEN', 'Reactivate a suspended user before promoting them.', {
          reason: 'promote-suspended',
        });
      }
      await store.updateUser(targetId, { role: 'admin' });
    },

    async demote(actorId: number, targetId: number): Promise<void> {
      await requireOther(actorId, targetId);
      await store.updateUser(targetId, { role: 'user' });
    },

    /** Sets a new random password and returns it, to be shown once to the admin. */
    async resetPassword(actorId: number, targetId: number): Promise<string> {
      await requireOther(actorId, targetId);
      const password = generatePassword((max) => randomInt(max));
      await store.updateUser(targetId, { passwordHash: await hashPassword(password) });
      return password;
    },
  };
}

// argon2id of a random string nobody knows; used only to spend the same time on unknown names.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Fq2b6kOd3dUAnE5n8tq2JQpXQyQXkA3Yy1u1bXoQm2E';
