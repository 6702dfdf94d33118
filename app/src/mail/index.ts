export {
  createMail,
  PAGE_SIZE,
  type Mail,
  type MailDeps,
  type Outgoing,
  type OutgoingAttachment,
  type Listing,
  type OpenedEmail,
  type Sender,
} from './service.js';
export { importEmail, isNewsEmail, type ImportDeps, type AttachmentBytes } from './import.js';
export { createAttachmentFiles, hashFile, type AttachmentFiles } from './attachment-files.js';
export { parseAddressList, isLocalAddress } from './addresses.js';
export { sanitizeEmailHtml, htmlToText, textToHtml, escapeHtml, rewriteCidLinks } from './sanitize.js';
export { makeDraft, type Draft, type DraftMode } from './drafts.js';
export { shrinkPhoto, sniffImageType, jpegName, PHOTO_POLICY } from './photos.js';
export { toMatchExpression } from './search.js';
export {
  FOLDERS,
  type Folder,
  type DeliveryState,
  type MailStore,
  type MailboxItem,
  type MailboxRow,
  type NewEmail,
  type Page,
  type StoredAttachment,
  type StoredEmail,
} from './types.js';
