import { createAccounts } from './accounts/index.js';
import type { Config } from './config.js';
import { createAccountStore, createMailStore, type Db } from './db/index.js';
import { createAttachmentFiles, createMail } from './mail/index.js';

/** The mail and account services over one database: what the web app, the tests and the sync tests share. */
export function createMailServices(db: Db, config: Config, now: () => Date) {
  const files = createAttachmentFiles(config.attachmentsDir);
  const accounts = createAccounts({ store: createAccountStore(db), domain: config.domain, now });
  const mail = createMail({
    store: createMailStore(db),
    files,
    domain: config.domain,
    newsSenders: config.newsSenders,
    now,
  });
  return { files, accounts, mail };
}
