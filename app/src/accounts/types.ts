export type Role = 'user' | 'admin';

export interface User {
  id: number;
  /** The part before the @, lower-case. */
  name: string;
  address: string;
  role: Role;
  isSuspended: boolean;
  language: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

export interface UserPatch {
  passwordHash?: string;
  role?: Role;
  isSuspended?: boolean;
  language?: string | null;
  lastLoginAt?: string;
}

/** What the accounts need from storage (src/db implements it). */
export interface AccountStore {
  insertUser(user: {
    name: string;
    address: string;
    passwordHash: string;
    role: Role;
    createdAt: string;
  }): Promise<User>;
  findUserByName(name: string): Promise<UserWithHash | undefined>;
  findUserById(id: number): Promise<UserWithHash | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: number, patch: UserPatch): Promise<void>;
  countActiveAdmins(): Promise<number>;
}
