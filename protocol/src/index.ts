export { LokoleError, isLokoleError, type ErrorCode } from './errors.js';
export {
  EmailSchema,
  AttachmentRefSchema,
  AddressSchema,
  parseEmail,
  normalizeAddress,
  formatSentAt,
  type Email,
  type EmailInput,
  type AttachmentRef,
} from './email.js';
export * from './package/index.js';
