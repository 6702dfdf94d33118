export { createInbound, type Inbound, type InboundDeps } from './inbound.js';
export {
  createOutbox,
  type Outbox,
  type OutboxDeps,
  type SubmitResult,
  type AttemptContext,
} from './outbox.js';
export { createServiceMail, type ServiceMail } from './service-mail.js';
export { parseMessage, type ParsedMessage, type ParsedAttachment, type ParseOptions } from './parse.js';
export { sanitizeMailHtml } from './sanitize.js';
export {
  createServiceMailboxes,
  echoMailbox,
  type ServiceMailbox,
  type ServiceMailboxes,
} from './services/index.js';
export * from './ports.js';
