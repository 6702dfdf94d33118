export { openDatabase, migrateDatabase, type Db } from './connection.js';
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
