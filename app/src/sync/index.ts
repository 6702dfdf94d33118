export {
  runSync,
  requestFullFile,
  listFullFileRequests,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  CLOCK_TOLERANCE_MS,
  type SyncDeps,
} from './run.js';
export { createOffsetClock } from './clock.js';
export type { CloudApi, Clock, SyncMail, SyncLog, SyncRunRecord, SyncOffer, SyncBody } from './ports.js';
