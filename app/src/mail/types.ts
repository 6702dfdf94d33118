export type Folder = 'inbox' | 'sent' | 'outbox';
export const FOLDERS: readonly Folder[] = ['inbox', 'sent', 'outbox'];

/** Mail this device sends to the internet: waiting (for the next sync) → handed (to the cloud) → sent | bounced. */
export type DeliveryState = 'waiting' | 'handed' | 'sent' | 'bounced';

export interface StoredAttachment {
  position: number;
  filename: string;
  cid: string | null;
  type: string;
  size: number;
  sha256: string;
  /** Held back in the cloud: there is no file on the device yet. */
  deferred: boolean;
  previewSha256: string | null;
}

export interface StoredEmail {
  id: number;
  uid: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  bodyHtml: string;
  sentAt: string;
  isNews: boolean;
  deliveryState: DeliveryState | null;
  waitingAt: string | null;
  handedAt: string | null;
  deliveredAt: string | null;
  bouncedAt: string | null;
  deliveryDetail: string | null;
  attachments: StoredAttachment[];
}

export interface NewEmail {
  uid: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** Already sanitised. */
  bodyHtml: string;
  /** For the search index. */
  bodyText: string;
  sentAt: string;
  createdAt: string;
  isNews: boolean;
  deliveryState: DeliveryState | null;
  attachments: Omit<StoredAttachment, 'position'>[];
}

/** One line of a folder listing. */
export interface MailboxItem {
  uid: string;
  from: string;
  to: string[];
  subject: string;
  sentAt: string;
  isRead: boolean;
  folder: Folder;
  attachmentCount: number;
  deliveryState: DeliveryState | null;
}

export interface MailboxRow {
  userId: number;
  emailId: number;
  folder: Folder;
  sentAt: string;
  isRead: boolean;
}

export interface Page {
  limit: number;
  offset: number;
}

/** What the mail needs from storage (src/db implements it over knex). */
export interface MailStore {
  /** Runs `work` in one transaction, with a store bound to it. */
  transaction<T>(work: (store: MailStore) => Promise<T>): Promise<T>;
  findEmail(uid: string): Promise<StoredEmail | undefined>;
  hasEmail(uid: string): Promise<boolean>;
  /** Stores the email, its attachment list and its search entry; returns its id. */
  insertEmail(email: NewEmail): Promise<number>;
  /** Adds mailbox rows; a row that exists already is left alone. */
  addToMailboxes(rows: MailboxRow[]): Promise<void>;
  recordAttachment(sha256: string, size: number, createdAt: string): Promise<void>;
  /** Ids of local users by address (suspended ones too: their mail waits for them). */
  usersByAddress(addresses: string[]): Promise<Map<string, number>>;
  listFolder(userId: number, folder: Folder, page: Page): Promise<MailboxItem[]>;
  /** `match` is an FTS5 expression; only the user's own, undeleted mailbox rows are searched. */
  search(userId: number, match: string, page: Page): Promise<MailboxItem[]>;
  unreadCount(userId: number): Promise<number>;
  /** The folders (undeleted) in which the user sees the email. */
  mailboxFolders(userId: number, emailId: number): Promise<{ folder: Folder; isRead: boolean }[]>;
  setRead(userId: number, emailId: number, isRead: boolean): Promise<void>;
  deleteForUser(userId: number, emailId: number): Promise<number>;
  listNews(page: Page): Promise<MailboxItem[]>;
  countWaiting(): Promise<number>;
}
