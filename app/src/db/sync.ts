import type { DeliveryReport, Email, PackageUser } from '@lokole/protocol';
import { importEmail } from '../mail/index.js';
import type { AttachmentFiles } from '../mail/index.js';
import type { SyncLog, SyncMail, SyncRunRecord } from '../sync/index.js';
import type { Db } from './connection.js';
import { createMailStore, findEmail, listWaitingUids, markHanded, recordDelivery } from './mail.js';

/** The sync's view of the device database (queries taking the db first). */
export function createSyncMail(
  db: Db,
  deps: { files: AttachmentFiles; domain: string; newsSenders: readonly string[]; now: () => Date },
): SyncMail {
  return {
    async pendingUpload() {
      const emails: Email[] = [];
      for (const uid of await listWaitingUids(db)) {
        const stored = await findEmail(db, uid);
        if (!stored) continue;
        emails.push({
          _uid: stored.uid,
          sent_at: stored.sentAt,
          from: stored.from,
          to: stored.to,
          cc: stored.cc,
          bcc: stored.bcc,
          subject: stored.subject,
          body: stored.bodyHtml,
          attachments: stored.attachments.map((a) => ({
            filename: a.filename,
            ...(a.cid ? { cid: a.cid } : {}),
            type: a.type,
            size: a.size,
            sha256: a.sha256,
          })),
        });
      }
      const rows = (await db('users')
        .where({ is_synced: false })
        .select('address', 'name', 'created_at')) as Array<{
        address: string;
        name: string;
        created_at: string;
      }>;
      const users: PackageUser[] = rows.map((row) => ({
        address: row.address,
        name: row.name,
        created_at: row.created_at,
      }));
      return { emails, users };
    },

    async markUploaded(uids, users, at) {
      await db.transaction(async (trx) => {
        await markHanded(trx, [...uids], at);
        if (users.length > 0)
          await trx('users')
            .whereIn('address', [...users])
            .update({ is_synced: true });
      });
    },

    async importDownload({ emails, reports, arrived }) {
      return db.transaction(async (trx) => {
        let count = 0;
        const store = createMailStore(trx);
        for (const email of emails) {
          const isNew = await importEmail(
            { store, files: deps.files, domain: deps.domain, newsSenders: deps.newsSenders, now: deps.now },
            email,
            () => undefined,
          );
          if (isNew) count += 1;
        }
        for (const report of reports) await applyReport(trx, report);
        if (arrived.length > 0) {
          // "Get full file": the bytes are here now.
          await trx('email_attachments')
            .whereIn('sha256', [...arrived])
            .update({ deferred: false });
          for (const sha256 of arrived) {
            const row = (await trx('email_attachments').where({ sha256 }).first('size')) as
              { size: number } | undefined;
            if (row)
              await trx('attachments')
                .insert({ sha256, size: row.size, created_at: deps.now().toISOString() })
                .onConflict('sha256')
                .ignore();
          }
        }
        return count;
      });
    },
  };
}

async function applyReport(db: Db, report: DeliveryReport): Promise<void> {
  // A deferred report says "still trying": the user keeps seeing "handed to the cloud".
  if (report.status === 'deferred') return;
  await recordDelivery(db, report._uid, { status: report.status, at: report.at, detail: report.detail });
}

export interface SyncRunRow extends SyncRunRecord {
  id: number;
}

export function createSyncLog(db: Db): SyncLog {
  return {
    async start(at) {
      const [id] = (await db('sync_runs').insert({ started_at: at, status: 'running' })) as number[];
      return Number(id);
    },
    async finish(id, run) {
      await db('sync_runs')
        .where({ id })
        .update({
          finished_at: run.finishedAt,
          status: run.status,
          bytes_up: run.bytesUp,
          bytes_down: run.bytesDown,
          detail: JSON.stringify({
            emailsUp: run.emailsUp,
            emailsDown: run.emailsDown,
            steps: run.steps,
            clockOffsetMs: run.clockOffsetMs,
            link: run.link,
          }),
        });
    },
  };
}

/** The sync log, newest first, for the admin page. */
export async function listSyncRuns(db: Db, limit = 50): Promise<SyncRunRow[]> {
  const rows = (await db('sync_runs').orderBy('id', 'desc').limit(limit)) as Array<Record<string, unknown>>;
  return rows.map((row) => {
    const detail = row.detail ? (JSON.parse(String(row.detail)) as Partial<SyncRunRecord>) : {};
    return {
      id: Number(row.id),
      startedAt: String(row.started_at),
      finishedAt: String(row.finished_at ?? ''),
      status: row.status as SyncRunRecord['status'],
      bytesUp: Number(row.bytes_up ?? 0),
      bytesDown: Number(row.bytes_down ?? 0),
      emailsUp: detail.emailsUp ?? 0,
      emailsDown: detail.emailsDown ?? 0,
      steps: detail.steps ?? [],
      clockOffsetMs: detail.clockOffsetMs,
      ...(detail.link ? { link: detail.link } : {}),
    };
  });
}

/**
 * Bytes and emails per day (`yyyy-mm-dd`) or month (`yyyy-mm`), for the totals and the cost
 * estimate. `billedBytes` is what the modem counted when it did (what the operator charges,
 * framing included), else the bytes at the socket.
 */
export async function syncTotals(
  db: Db,
  by: 'day' | 'month',
): Promise<Array<{ period: string; bytes: number; billedBytes: number; emails: number; runs: number }>> {
  const length = by === 'day' ? 10 : 7;
  const socket = 'coalesce(bytes_up, 0) + coalesce(bytes_down, 0)';
  const link = "json_extract(detail, '$.link.bytes.rx') + json_extract(detail, '$.link.bytes.tx')";
  const rows = (await db('sync_runs')
    .select(db.raw(`substr(started_at, 1, ${length}) as period`))
    .sum({ bytes: db.raw(socket) })
    .sum({ billedBytes: db.raw(`coalesce(${link}, ${socket})`) })
    .sum({
      emails: db.raw(
        "coalesce(json_extract(detail, '$.emailsUp'), 0) + coalesce(json_extract(detail, '$.emailsDown'), 0)",
      ),
    })
    .count({ runs: '*' })
    .groupBy('period')
    .orderBy('period', 'desc')) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    period: String(row.period),
    bytes: Number(row.bytes),
    billedBytes: Number(row.billedBytes),
    emails: Number(row.emails),
    runs: Number(row.runs),
  }));
}
