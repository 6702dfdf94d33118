export { openDatabase, migrateDatabase, type Db } from './connection.js';
export { findSession } from './sessions.js';
export { createAccountStore, findUserByName } from './users.js';
export {
  createMailStore,
  countWaiting,
  listWaitingUids,
  markHanded,
  recordDelivery,
  lastSyncRun,
  attachmentBytesStored,
} from './mail.js';
