export { createAccounts, type Accounts, type AccountsDeps } from './service.js';
export { checkName, normalizeName, RESERVED_NAMES, MAX_NAME_LENGTH, type NameProblem } from './names.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
export type { AccountStore, Role, User, UserPatch, UserWithHash } from './types.js';
