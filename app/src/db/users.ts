import type { AccountStore, Role, User, UserPatch, UserWithHash } from '../accounts/index.js';
import { selectFirst, type Db } from './connection.js';

interface UserRow {
  id: number;
  name: string;
  address: string;
  password_hash: string;
  role: Role;
  is_suspended: number;
  language: string | null;
  created_at: string;
  last_login_at: string | null;
}

function toUser(row: UserRow): UserWithHash {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    passwordHash: row.password_hash,
    role: row.role,
    isSuspended: Boolean(row.is_suspended),
    language: row.language,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}

export async function findUserByName(db: Db, name: string): Promise<UserWithHash | undefined> {
  const row = await db<UserRow>('users').where({ name }).first();
  return row && toUser(row);
}

export async function findUserById(db: Db, id: number): Promise<UserWithHash | undefined> {
  // Every signed-in page view asks: a prepared statement on the read handle.
  const row = await selectFirst<UserRow>(db, 'SELECT * FROM users WHERE id = ?', [id]);
  return row && toUser(row);
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db<UserRow>('users').orderBy('name');
  return rows.map((row) => {
    const { passwordHash, ...user } = toUser(row);
    void passwordHash;
    return user;
  });
}

export async function insertUser(
  db: Db,
  user: { name: string; address: string; passwordHash: string; role: Role; createdAt: string },
): Promise<User> {
  const [id] = await db('users').insert({
    name: user.name,
    address: user.address,
    password_hash: user.passwordHash,
    role: user.role,
    created_at: user.createdAt,
  });
  const { passwordHash, ...created } = (await findUserById(db, id!))!;
  void passwordHash;
  return created;
}

export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<void> {
  const row: Record<string, unknown> = {};
  if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
  if (patch.role !== undefined) row.role = patch.role;
  if (patch.isSuspended !== undefined) row.is_suspended = patch.isSuspended;
  if (patch.language !== undefined) row.language = patch.language;
  if (patch.lastLoginAt !== undefined) row.last_login_at = patch.lastLoginAt;
  if (patch.passwordHash !== undefined || patch.isSuspended !== undefined) row.is_synced = false;
  if (Object.keys(row).length > 0) await db('users').where({ id }).update(row);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db('users').where({ role: 'admin', is_suspended: false }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export function createAccountStore(db: Db): AccountStore {
  return {
    insertUser: (user) => insertUser(db, user),
    findUserByName: (name) => findUserByName(db, name),
    findUserById: (id) => findUserById(db, id),
    listUsers: () => listUsers(db),
    updateUser: (id, patch) => updateUser(db, id, patch),
    countActiveAdmins: () => countActiveAdmins(db),
  };
}
