import { randomUUID } from 'node:crypto';
import { LokoleError } from '@lokole/protocol';
import { createToken, hashToken, isSameHash } from './tokens.js';

export const ROLES = ['admin', 'registrar'] as const;
/** `admin` may do everything; `registrar` registers devices and reads them (the technicians' role). */
export type Role = (typeof ROLES)[number];

export interface AdminTokenRecord {
  readonly id: string;
  readonly role: Role;
  readonly tokenHash: string;
  readonly label: string;
  readonly createdAt: string;
}

export interface AdminTokenStore {
  insertAdminToken(record: AdminTokenRecord): Promise<void>;
  findAdminTokenByHash(hash: string): Promise<AdminTokenRecord | undefined>;
}

export interface Principal {
  readonly tokenId: string;
  readonly role: Role;
}

export function createAdminTokens(deps: { store: AdminTokenStore; now: () => Date }) {
  const { store, now } = deps;
  return {
    async create(role: string, label = ''): Promise<{ id: string; role: Role; token: string }> {
      if (!ROLES.includes(role as Role)) {
        throw new LokoleError(
          'INVALID_INPUT',
          `Role "${role}" does not exist; use one of: ${ROLES.join(', ')}.`,
          {
            reason: 'unknown-role',
          },
        );
      }
      const { token, hash } = createToken('lka_');
      const id = randomUUID();
      await store.insertAdminToken({
        id,
        role: role as Role,
        tokenHash: hash,
        label,
        createdAt: now().toISOString(),
      });
      return { id, role: role as Role, token };
    },

    /** The principal a bearer token stands for, or undefined for a token we never issued. */
    async authenticate(token: string): Promise<Principal | undefined> {
      if (!token.startsWith('lka_')) return undefined;
      const hash = hashToken(token);
      const record = await store.findAdminTokenByHash(hash);
      if (!record || !isSameHash(record.tokenHash, hash)) return undefined;
      return { tokenId: record.id, role: record.role };
    },
  };
}

export type AdminTokens = ReturnType<typeof createAdminTokens>;
