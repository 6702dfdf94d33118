export {
  LokoleError,
  isLokoleError,
  httpStatusFor,
  exitCodeFor,
  EXIT,
  type ErrorCode,
  type ExitCode,
} from './errors.js';
export {
  EmailSchema,
  AttachmentRefSchema,
  AddressSchema,
  parseEmail,
  parseWith,
  issuePath,
  normalizeAddress,
  formatSentAt,
  type Email,
  type EmailInput,
  type AttachmentRef,
} from './email.js';
export * from './package/index.js';
