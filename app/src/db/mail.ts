import type {
  DeliveryState,
  Folder,
  MailStore,
  MailboxItem,
  MailboxRow,
  NewEmail,
  Page,
  StoredAttachment,
  StoredEmail,
} from '../mail/index.js';
import { selectAll, selectFirst, type Db } from './connection.js';

interface EmailRow {
  id: number;
  uid: string;
  from_address: string;
  to_addresses: string;
  cc_addresses: string;
  bcc_addresses: string;
  subject: string;
  body_html: string;
  sent_at: string;
  is_news: number;
  delivery_state: DeliveryState | null;
  waiting_at: string | null;
  handed_at: string | null;
  delivered_at: string | null;
  bounced_at: string | null;
  delivery_detail: string | null;
}

interface AttachmentRow {
  position: number;
  filename: string;
  cid: string | null;
  type: string;
  size: number;
  sha256: string;
  deferred: number;
  preview_sha256: string | null;
}

interface ListRow {
  uid: string;
  from_address: string;
  to_addresses: string;
  subject: string;
  sent_at: string;
  is_read: number;
  folder: Folder;
  delivery_state: DeliveryState | null;
  email_id: number;
}

async function toItems(db: Db, rows: ListRow[]): Promise<MailboxItem[]> {
  const ids = rows.map((row) => row.email_id);
  const counts = new Map<number, number>();
  if (ids.length > 0) {
    // One statement per page length (at most PAGE_SIZE + 1 of them), each prepared once.
    const found = await selectAll<{ email_id: number; n: number }>(
      db,
      `SELECT email_id, count(*) AS n FROM email_attachments WHERE email_id IN (${ids.map(() => '?').join(', ')}) GROUP BY email_id`,
      ids,
    );
    for (const row of found) counts.set(Number(row.email_id), Number(row.n));
  }
  return rows.map((row) => ({
    uid: row.uid,
    from: row.from_address,
    to: JSON.parse(row.to_addresses) as string[],
    subject: row.subject,
    sentAt: row.sent_at,
    isRead: Boolean(row.is_read),
    folder: row.folder,
    attachmentCount: counts.get(row.email_id) ?? 0,
    deliveryState: row.delivery_state,
  }));
}

export async function findEmail(db: Db, uid: string): Promise<StoredEmail | undefined> {
  const row = await selectFirst<EmailRow>(db, 'SELECT * FROM emails WHERE uid = ?', [uid]);
  if (!row) return undefined;
  const attachments = await selectAll<AttachmentRow>(
    db,
    'SELECT * FROM email_attachments WHERE email_id = ? ORDER BY position',
    [row.id],
  );
  return {
    id: row.id,
    uid: row.uid,
    from: row.from_address,
    to: JSON.parse(row.to_addresses) as string[],
    cc: JSON.parse(row.cc_addresses) as string[],
    bcc: JSON.parse(row.bcc_addresses) as string[],
    subject: row.subject,
    bodyHtml: row.body_html,
    sentAt: row.sent_at,
    isNews: Boolean(row.is_news),
    deliveryState: row.delivery_state,
    waitingAt: row.waiting_at,
    handedAt: row.handed_at,
    deliveredAt: row.delivered_at,
    bouncedAt: row.bounced_at,
    deliveryDetail: row.delivery_detail,
    attachments: attachments.map((a): StoredAttachment => ({
      position: a.position,
      filename: a.filename,
      cid: a.cid,
      type: a.type,
      size: a.size,
      sha256: a.sha256,
      deferred: Boolean(a.deferred),
      previewSha256: a.preview_sha256,
    })),
  };
}

export async function insertEmail(db: Db, email: NewEmail): Promise<number> {
  const [id] = await db('emails').insert({
    uid: email.uid,
    from_address: email.from,
    to_addresses: JSON.stringify(email.to),
    cc_addresses: JSON.stringify(email.cc),
    bcc_addresses: JSON.stringify(email.bcc),
    subject: email.subject,
    body_html: email.bodyHtml,
    sent_at: email.sentAt,
    created_at: email.createdAt,
    is_news: email.isNews,
    delivery_state: email.deliveryState,
    waiting_at: email.deliveryState === 'waiting' ? email.createdAt : null,
  });
  if (email.attachments.length > 0) {
    await db('email_attachments').insert(
      email.attachments.map((a, position) => ({
        email_id: id,
        position,
        filename: a.filename,
        cid: a.cid,
        type: a.type,
        size: a.size,
        sha256: a.sha256,
        deferred: a.deferred,
        preview_sha256: a.previewSha256,
      })),
    );
  }
  const addresses = [email.from, ...email.to, ...email.cc, ...email.bcc].join(' ');
  await db.raw('INSERT INTO emails_fts (rowid, subject, body, addresses) VALUES (?, ?, ?, ?)', [
    id!,
    email.subject,
    email.bodyText,
    addresses,
  ]);
  return id!;
}

export async function addToMailboxes(db: Db, rows: MailboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db('mailboxes')
    .insert(
      rows.map((row) => ({
        user_id: row.userId,
        email_id: row.emailId,
        folder: row.folder,
        sent_at: row.sentAt,
        is_read: row.isRead,
      })),
    )
    .onConflict(['user_id', 'email_id', 'folder'])
    .ignore();
}

const LIST_SELECT = `SELECT e.uid, e.from_address, e.to_addresses, e.subject, m.sent_at, m.is_read, m.folder,
  e.delivery_state, e.id AS email_id`;

export async function listFolder(db: Db, userId: number, folder: Folder, page: Page): Promise<MailboxItem[]> {
  const rows = await selectAll<ListRow>(
    db,
    `${LIST_SELECT}
     FROM mailboxes AS m JOIN emails AS e ON e.id = m.email_id
     WHERE m.user_id = ? AND m.folder = ? AND m.is_deleted = 0
     ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?`,
    [userId, folder, page.limit, page.offset],
  );
  return toItems(db, rows);
}

export async function searchMailbox(
  db: Db,
  userId: number,
  match: string,
  page: Page,
): Promise<MailboxItem[]> {
  // The FTS query finds candidate emails; the join keeps only this user's own undeleted rows.
  // The page is cut before the join to `emails`: its rows carry the body, and reading past it
  // (to delivery_state) for every match, not just the 26 shown, was most of a search.
  const rows = await selectAll<ListRow>(
    db,
    `${LIST_SELECT}
     FROM (SELECT m.id, m.email_id, m.sent_at, m.is_read, m.folder
           FROM emails_fts JOIN mailboxes AS m ON m.email_id = emails_fts.rowid
           WHERE emails_fts MATCH ? AND m.user_id = ? AND m.is_deleted = 0
           ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?) AS m
     JOIN emails AS e ON e.id = m.email_id
     ORDER BY m.sent_at DESC, m.id DESC`,
    [match, userId, page.limit, page.offset],
  );
  return toItems(db, rows);
}

export async function unreadCount(db: Db, userId: number): Promise<number> {
  const row = await selectFirst<{ n: number }>(
    db,
    "SELECT count(*) AS n FROM mailboxes WHERE user_id = ? AND folder = 'inbox' AND is_deleted = 0 AND is_read = 0",
    [userId],
  );
  return Number(row?.n ?? 0);
}

export async function mailboxFolders(
  db: Db,
  userId: number,
  emailId: number,
): Promise<{ folder: Folder; isRead: boolean }[]> {
  const rows = await selectAll<{ folder: Folder; is_read: number }>(
    db,
    'SELECT folder, is_read FROM mailboxes WHERE user_id = ? AND email_id = ? AND is_deleted = 0',
    [userId, emailId],
  );
  return rows.map((row) => ({
    folder: row.folder,
    isRead: Boolean(row.is_read),
  }));
}

export async function setRead(db: Db, userId: number, emailId: number, isRead: boolean): Promise<void> {
  await db('mailboxes').where({ user_id: userId, email_id: emailId }).update({ is_read: isRead });
}

export async function deleteForUser(db: Db, userId: number, emailId: number): Promise<number> {
  return db('mailboxes').where({ user_id: userId, email_id: emailId }).update({ is_deleted: true });
}

export async function listNews(db: Db, page: Page): Promise<MailboxItem[]> {
  const rows = await db('emails as e')
    .where({ 'e.is_news': true })
    .orderBy('e.sent_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .select(
      'e.uid',
      'e.from_address',
      'e.to_addresses',
      'e.subject',
      'e.sent_at',
      db.raw('1 as is_read'),
      db.raw("'inbox' as folder"),
      'e.delivery_state',
      'e.id as email_id',
    );
  return toItems(db, rows as ListRow[]);
}

export async function usersByAddress(db: Db, addresses: string[]): Promise<Map<string, number>> {
  if (addresses.length === 0) return new Map();
  const rows = await db('users').whereIn('address', addresses).select('id', 'address');
  return new Map(rows.map((row: { id: number; address: string }) => [row.address, row.id]));
}

export async function recordAttachment(
  db: Db,
  sha256: string,
  size: number,
  createdAt: string,
): Promise<void> {
  await db('attachments').insert({ sha256, size, created_at: createdAt }).onConflict('sha256').ignore();
}

// Delivery states: the sync issue moves mail through them with these.

export async function countWaiting(db: Db): Promise<number> {
  const row = await db('emails').where({ delivery_state: 'waiting' }).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** Uids of the emails waiting for the next upload, oldest first. */
export async function listWaitingUids(db: Db): Promise<string[]> {
  const rows = await db('emails').where({ delivery_state: 'waiting' }).orderBy('id').select('uid');
  return rows.map((row: { uid: string }) => row.uid);
}

/** The cloud has the emails: they leave the senders' outboxes for their sent folders. */
export async function markHanded(db: Db, uids: string[], at: string): Promise<void> {
  if (uids.length === 0) return;
  await db('emails').whereIn('uid', uids).andWhere({ delivery_state: 'waiting' }).update({
    delivery_state: 'handed',
    handed_at: at,
  });
  const ids = db('emails').whereIn('uid', uids).select('id');
  await db('mailboxes').whereIn('email_id', ids).andWhere({ folder: 'outbox' }).update({ folder: 'sent' });
}

/** A delivery report from the cloud. */
export async function recordDelivery(
  db: Db,
  uid: string,
  report: { status: 'sent' | 'bounced'; at: string; detail?: string },
): Promise<void> {
  await db('emails')
    .where({ uid })
    .update({
      delivery_state: report.status,
      ...(report.status === 'sent' ? { delivered_at: report.at } : { bounced_at: report.at }),
      delivery_detail: report.detail ?? null,
    });
}

export async function lastSyncRun(
  db: Db,
): Promise<{ startedAt: string; finishedAt: string | null; status: string } | undefined> {
  const row = await db('sync_runs').orderBy('id', 'desc').first();
  return row && { startedAt: row.started_at, finishedAt: row.finished_at, status: row.status };
}

export async function attachmentBytesStored(db: Db): Promise<number> {
  const row = await db('attachments').sum({ n: 'size' }).first();
  return Number(row?.n ?? 0);
}

export function createMailStore(db: Db): MailStore {
  return {
    transaction: (work) => db.transaction((trx) => work(createMailStore(trx))),
    findEmail: (uid) => findEmail(db, uid),
    hasEmail: async (uid) => (await db('emails').where({ uid }).first('id')) !== undefined,
    insertEmail: (email) => insertEmail(db, email),
    addToMailboxes: (rows) => addToMailboxes(db, rows),
    recordAttachment: (sha256, size, createdAt) => recordAttachment(db, sha256, size, createdAt),
    usersByAddress: (addresses) => usersByAddress(db, addresses),
    listFolder: (userId, folder, page) => listFolder(db, userId, folder, page),
    search: (userId, match, page) => searchMailbox(db, userId, match, page),
    unreadCount: (userId) => unreadCount(db, userId),
    mailboxFolders: (userId, emailId) => mailboxFolders(db, userId, emailId),
    setRead: (userId, emailId, isRead) => setRead(db, userId, emailId, isRead),
    deleteForUser: (userId, emailId) => deleteForUser(db, userId, emailId),
    listNews: (page) => listNews(db, page),
    countWaiting: () => countWaiting(db),
  };
}
