export {
  createSyncService,
  BLOCK_SIZE,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  type SyncService,
  type SyncDeps,
  type SyncRequest,
  type SyncAnswer,
  type Previewer,
} from './service.js';
export type { SyncStore, PackageRecord, PackageState } from './ports.js';
