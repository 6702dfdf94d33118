export { createToken, hashToken, isSameHash, type NewToken, type TokenPrefix } from './tokens.js';
export {
  createAdminTokens,
  ROLES,
  type AdminTokens,
  type AdminTokenRecord,
  type AdminTokenStore,
  type Principal,
  type Role,
} from './admin-tokens.js';
