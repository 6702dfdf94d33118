import type { Knex } from 'knex';
import type { Email } from '@lokole/protocol';
import type { JobQueue } from '../jobs/queue.js';
import type { ReportRecord } from '../mail/index.js';
import type { PackageRecord, SyncStore } from '../sync/ports.js';
import { transactional } from './transactional.js';

type Row = Record<string, string | number | null>;

function toPackage(row: Row): PackageRecord {
  return {
    id: String(row.id),
    deviceId: String(row.device_id),
    kind: row.kind as PackageRecord['kind'],
    state: row.state as PackageRecord['state'],
    size: Number(row.size),
    sha256: String(row.sha256),
    emails: Number(row.emails),
    blobKey: row.blob_key === null ? null : String(row.blob_key),
    createdAt: String(row.created_at),
    expiresAt: row.expires_at === null ? null : String(row.expires_at),
  };
}

/** The sync tables on one knex handle; the same SQL on SQLite and PostgreSQL. */
export function createSyncStore(knex: Knex, queue: JobQueue): SyncStore {
  return make(knex, queue, false, { count: 0 });
}

function make(db: Knex, queue: JobQueue, inTransaction: boolean, enqueued: { count: number }): SyncStore {
  const store: SyncStore = {
    ...transactional<SyncStore>(
      db,
      queue,
      inTransaction ? { store: () => store, enqueued } : null,
      (trx, jobs) => make(trx, queue, true, jobs),
    ),
    async insertPackage(record) {
      await db('sync_packages').insert({
        id: record.id,
        device_id: record.deviceId,
        kind: record.kind,
        state: record.state,
        size: record.size,
        sha256: record.sha256,
        emails: record.emails,
        blob_key: record.blobKey,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
      });
    },
    async findPackage(id) {
      const row = (await db('sync_packages').where('id', id).first()) as Row | undefined;
      return row && toPackage(row);
    },
    async findUpload(deviceId, sha256, size) {
      const row = (await db('sync_packages')
        .where({ device_id: deviceId, kind: 'upload', sha256, size })
        .whereNot('state', 'expired')
        .orderBy('created_at', 'desc')
        .first()) as Row | undefined;
      return row && toPackage(row);
    },
    async findReadyDownload(deviceId) {
      const row = (await db('sync_packages')
        .where({ device_id: deviceId, kind: 'download', state: 'ready' })
        .orderBy('created_at', 'desc')
        .first()) as Row | undefined;
      return row && toPackage(row);
    },
    async setPackageState(id, state, patch = {}) {
      await db('sync_packages')
        .where('id', id)
        .update({
          state,
          ...(patch.blobKey !== undefined ? { blob_key: patch.blobKey } : {}),
          ...(patch.doneAt !== undefined ? { done_at: patch.doneAt } : {}),
        });
    },
    async putBlock(packageId, n, data) {
      await db('package_blocks')
        .insert({ package_id: packageId, n, data })
        .onConflict(['package_id', 'n'])
        .merge();
    },
    async blockNumbers(packageId) {
      const rows = (await db('package_blocks')
        .where('package_id', packageId)
        .orderBy('n')
        .select('n')) as Row[];
      return rows.map((row) => Number(row.n));
    },
    async readBlock(packageId, n) {
      const row = (await db('package_blocks').where({ package_id: packageId, n }).first('data')) as
        { data: Buffer } | undefined;
      return row?.data;
    },
    async deleteBlocks(packageId) {
      await db('package_blocks').where('package_id', packageId).delete();
    },
    async pendingEmails(deviceId, limit) {
      const rows = (await db('device_emails as d')
        .join('emails as e', 'e.id', 'd.email_id')
        .where('d.device_id', deviceId)
        .whereNot('d.state', 'acked')
        .orderBy('d.queued_at')
        .limit(limit)
        .select('e.email')) as Array<{ email: string }>;
      return rows.map((row) => JSON.parse(row.email) as Email);
    },
    async pendingReports(deviceId) {
      const rows = (await db('delivery_reports')
        .where('device_id', deviceId)
        .whereNot('state', 'acked')
        .orderBy('at')) as Row[];
      return rows.map((row): ReportRecord => ({
        deviceId,
        emailId: String(row.email_id),
        status: row.status as ReportRecord['status'],
        at: String(row.at),
        detail: String(row.detail),
      }));
    },
    async pendingRequests(deviceId) {
      const rows = (await db('device_requests').where('device_id', deviceId).select('sha256')) as Row[];
      return rows.map((row) => String(row.sha256));
    },
    async assignToPackage(deviceId, packageId, what) {
      const ids = [...what.emails];
      for (let i = 0; i < ids.length; i += 500) {
        await db('device_emails')
          .where('device_id', deviceId)
          .whereIn('email_id', ids.slice(i, i + 500))
          .update({ state: 'packaged', package_id: packageId });
      }
      for (const report of what.reports) {
        await db('delivery_reports')
          .where({ device_id: deviceId, email_id: report.emailId, status: report.status })
          .update({ state: 'packaged', package_id: packageId });
      }
      if (what.requests.length > 0) {
        await db('device_requests')
          .where('device_id', deviceId)
          .whereIn('sha256', [...what.requests])
          .update({ package_id: packageId });
      }
    },
    async acknowledge(deviceId, packageId, at) {
      await db('device_emails')
        .where({ device_id: deviceId, package_id: packageId })
        .update({ state: 'acked', acked_at: at });
      await db('delivery_reports')
        .where({ device_id: deviceId, package_id: packageId })
        .update({ state: 'acked', acked_at: at });
      await db('device_requests').where({ device_id: deviceId, package_id: packageId }).delete();
      await db('sync_packages').where('id', packageId).update({ state: 'acked', done_at: at });
    },
    async addRequests(deviceId, sha256s, at) {
      if (sha256s.length === 0) return;
      await db('device_requests')
        .insert(sha256s.map((sha256) => ({ device_id: deviceId, sha256, requested_at: at })))
        .onConflict(['device_id', 'sha256'])
        .ignore();
    },
    async upsertDeviceUsers(deviceId, users) {
      if (users.length === 0) return;
      await db('device_users')
        .insert(
          users.map((user) => ({ device_id: deviceId, address: user.address, created_at: user.createdAt })),
        )
        .onConflict(['device_id', 'address'])
        .ignore();
    },
    async recordSync(deviceId, row) {
      await db('device_syncs').insert({
        device_id: deviceId,
        at: row.at,
        bytes_up: row.bytesUp,
        bytes_down: row.bytesDown,
        emails_up: row.emailsUp,
        emails_down: row.emailsDown,
      });
      await db('devices').where('id', deviceId).update({ last_sync_at: row.at });
    },
    async expiredUploads(now) {
      const rows = (await db('sync_packages')
        .where({ kind: 'upload', state: 'open' })
        .where('expires_at', '<', now)) as Row[];
      return rows.map(toPackage);
    },
  };
  return store;
}
