import type { Knex } from 'knex';
import { LokoleError, type Email } from '@lokole/protocol';
import type { AdminTokenRecord, AdminTokenStore, Role } from '../auth/index.js';
import type { Device, DeviceRecord, DeviceStats, DeviceStore, DeviceSummary } from '../devices/index.js';
import type { JobQueue } from '../jobs/queue.js';
import type {
  Envelope,
  InboundRecord,
  MailStore,
  OutboundRecord,
  Recipients,
  StoredEmail,
} from '../mail/index.js';
import { isUniqueViolation } from './connect.js';
import { transactional } from './transactional.js';

export interface CloudFigures {
  readonly devices: number;
  readonly pendingEmails: number;
  readonly emails: number;
  readonly inbound: Readonly<Record<string, number>>;
  readonly outbound: Readonly<Record<string, number>>;
  readonly reports: Readonly<Record<string, number>>;
  readonly pendingByDevice: ReadonlyArray<{ readonly name: string; readonly pending: number }>;
}

/** Every port the domain needs, on one knex handle; queries are the same SQL on both engines. */
export interface CloudStore extends DeviceStore, MailStore, AdminTokenStore {
  transaction<T>(fn: (tx: CloudStore) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  figures(): Promise<CloudFigures>;
}

interface DeviceRow {
  id: string;
  name: string;
  domain: string;
  token_hash: string;
  created_at: string;
  last_sync_at: string | null;
}

type SummaryRow = DeviceRow & {
  pending: number | string;
  users: number | string;
  data_bytes: number | string;
};

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    createdAt: row.created_at,
    lastSyncAt: row.last_sync_at,
  };
}

function countMap(rows: Array<{ key: string; n: number | string }>): Record<string, number> {
  return Object.fromEntries(rows.map((row) => [row.key, Number(row.n)]));
}

export function createDbStore(knex: Knex, queue: JobQueue): CloudStore {
  return make(knex, queue, false);
}

function make(db: Knex, queue: JobQueue, inTransaction: boolean, enqueued = { count: 0 }): CloudStore {
  // Correlated subqueries on indexed columns: measured faster on SQLite than joining grouped
  // derived tables (1,000 devices: about 3 ms against 8 ms).
  const summaries = () =>
    db('devices as d').select(
      'd.id',
      'd.name',
      'd.domain',
      'd.created_at',
      'd.last_sync_at',
      db.raw(
        `(SELECT count(*) FROM device_emails e WHERE e.device_id = d.id AND e.state <> 'acked') AS pending`,
      ),
      db.raw('(SELECT count(*) FROM device_users u WHERE u.device_id = d.id) AS users'),
      db.raw(
        '(SELECT coalesce(sum(s.bytes_up + s.bytes_down), 0) FROM device_syncs s WHERE s.device_id = d.id) AS data_bytes',
      ),
    );
  const toSummary = (row: SummaryRow): DeviceSummary => ({
    ...toDevice(row),
    pendingEmails: Number(row.pending),
    users: Number(row.users),
    dataBytes: Number(row.data_bytes),
  });

  const store: CloudStore = {
    ...transactional<CloudStore>(
      db,
      queue,
      inTransaction ? { store: () => store, enqueued } : null,
      (trx, jobs) => make(trx, queue, true, jobs),
    ),

    async ping() {
      await db.raw('SELECT 1');
    },

    // Admin tokens

    async insertAdminToken(record) {
      await db('admin_tokens').insert({
        id: record.id,
        role: record.role,
        token_hash: record.tokenHash,
        label: record.label,
        created_at: record.createdAt,
      });
    },

    async findAdminTokenByHash(hash): Promise<AdminTokenRecord | undefined> {
      const row = (await db('admin_tokens').where('token_hash', hash).first()) as
        { id: string; role: Role; token_hash: string; label: string; created_at: string } | undefined;
      return (
        row && {
          id: row.id,
          role: row.role,
          tokenHash: row.token_hash,
          label: row.label,
          createdAt: row.created_at,
        }
      );
    },

    // Devices

    async insertDevice(record: DeviceRecord) {
      try {
        await db('devices').insert({
          id: record.id,
          name: record.name,
          domain: record.domain,
          token_hash: record.tokenHash,
          created_at: record.createdAt,
          last_sync_at: record.lastSyncAt,
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new LokoleError(
            'CONFLICT',
            `A device named "${record.name}" already exists; choose another name.`,
            {
              reason: 'device-name-taken',
              cause: error,
            },
          );
        }
        throw error;
      }
    },

    async findDevice(id) {
      const row = (await db('devices').where('id', id).first()) as DeviceRow | undefined;
      return row && toDevice(row);
    },

    async findDeviceByTokenHash(hash) {
      const row = (await db('devices').where('token_hash', hash).first()) as DeviceRow | undefined;
      return row && { ...toDevice(row), tokenHash: row.token_hash };
    },

    async listDevices() {
      const rows = (await summaries().orderBy('d.name')) as SummaryRow[];
      return rows.map(toSummary);
    },

    async summarizeDevice(id) {
      const row = (await summaries().where('d.id', id).first()) as SummaryRow | undefined;
      return row && toSummary(row);
    },

    async deviceStats(id, sinceDay): Promise<DeviceStats> {
      const syncs = (await db('device_syncs')
        .where('device_id', id)
        .orderBy('at', 'desc')
        .limit(30)
        .select('at', 'bytes_up', 'bytes_down', 'emails_up', 'emails_down')) as Array<
        Record<'at' | 'bytes_up' | 'bytes_down' | 'emails_up' | 'emails_down', string | number>
      >;
      const incoming = (await db('device_emails')
        .where('device_id', id)
        .where('queued_day', '>=', sinceDay)
        .select('queued_day as key')
        .count({ n: '*' })
        .groupBy('queued_day')) as Array<{ key: string; n: number | string }>;
      const outgoing = (await db('emails')
        .where('device_id', id)
        .where('created_day', '>=', sinceDay)
        .select('created_day as key')
        .count({ n: '*' })
        .groupBy('created_day')) as Array<{ key: string; n: number | string }>;
      const inByDay = countMap(incoming);
      const outByDay = countMap(outgoing);
      const days = [...new Set([...Object.keys(inByDay), ...Object.keys(outByDay)])].sort();
      return {
        syncs: syncs.map((row) => ({
          at: String(row.at),
          bytesUp: Number(row.bytes_up),
          bytesDown: Number(row.bytes_down),
          emailsUp: Number(row.emails_up),
          emailsDown: Number(row.emails_down),
        })),
        days: days.map((day) => ({ day, emailsIn: inByDay[day] ?? 0, emailsOut: outByDay[day] ?? 0 })),
      };
    },

    async deleteDevice(id) {
      return (await db('devices').where('id', id).delete()) > 0;
    },

    async setDeviceToken(id, tokenHash) {
      return (await db('devices').where('id', id).update({ token_hash: tokenHash })) > 0;
    },

    // Mail

    async findDevicesByDomains(domains) {
      if (domains.length === 0) return [];
      return (await db('devices').whereIn('domain', domains).select('id', 'domain')) as Array<{
        id: string;
        domain: string;
      }>;
    },

    async insertInbound(record) {
      await db('inbound_messages').insert({
        id: record.id,
        blob_key: record.blobKey,
        raw: record.raw,
        sha256: record.sha256,
        size: record.size,
        source: record.source,
        envelope: JSON.stringify(record.envelope),
        received_at: record.receivedAt,
        state: record.state,
      });
    },

    async findInbound(id): Promise<InboundRecord | undefined> {
      const row = (await db('inbound_messages').where('id', id).first()) as
        Record<string, string | number | Buffer | null> | undefined;
      return (
        row && {
          id: String(row.id),
          blobKey: row.blob_key === null ? null : String(row.blob_key),
          raw: Buffer.isBuffer(row.raw) ? row.raw : null,
          sha256: String(row.sha256),
          size: Number(row.size),
          source: row.source as InboundRecord['source'],
          envelope: JSON.parse(String(row.envelope)) as Envelope,
          receivedAt: String(row.received_at),
          state: row.state as InboundRecord['state'],
        }
      );
    },

    async markInbound(id, state, detail) {
      await db('inbound_messages')
        .where('id', id)
        .update({ state, email_id: detail.emailId ?? null, error: detail.error ?? null });
    },

    async insertEmail(stored: StoredEmail) {
      const rows = await db('emails')
        .insert({
          id: stored.email._uid,
          email: JSON.stringify(stored.email),
          origin: stored.origin,
          device_id: stored.deviceId,
          size: stored.size,
          created_at: stored.createdAt,
          created_day: stored.createdAt.slice(0, 10),
        })
        .onConflict('id')
        .ignore()
        .returning('id');
      return rows.length > 0;
    },

    async findEmail(uid) {
      const row = (await db('emails').where('id', uid).first()) as
        Record<string, string | number> | undefined;
      return (
        row && {
          email: JSON.parse(String(row.email)) as Email,
          origin: row.origin as StoredEmail['origin'],
          deviceId: (row.device_id as string | null) ?? null,
          size: Number(row.size),
          createdAt: String(row.created_at),
        }
      );
    },

    async queueForDevices(emailId, deviceIds, at) {
      if (deviceIds.length === 0) return;
      const iso = at.toISOString();
      await db('device_emails')
        .insert(
          deviceIds.map((deviceId) => ({
            device_id: deviceId,
            email_id: emailId,
            state: 'pending',
            queued_at: iso,
            queued_day: iso.slice(0, 10),
          })),
        )
        .onConflict(['device_id', 'email_id'])
        .ignore();
    },

    async insertOutbound(record) {
      const rows = await db('outbound_messages')
        .insert({
          email_id: record.emailId,
          device_id: record.deviceId,
          recipients: JSON.stringify(record.recipients),
          state: record.state,
          attempts: record.attempts,
          last_error: record.lastError,
          created_at: record.createdAt,
        })
        .onConflict('email_id')
        .ignore()
        .returning('email_id');
      return rows.length > 0;
    },

    async findOutbound(emailId): Promise<OutboundRecord | undefined> {
      const row = (await db('outbound_messages').where('email_id', emailId).first()) as
        Record<string, string | number | null> | undefined;
      return (
        row && {
          emailId: String(row.email_id),
          deviceId: (row.device_id as string | null) ?? null,
          recipients: JSON.parse(String(row.recipients)) as Recipients,
          state: row.state as OutboundRecord['state'],
          attempts: Number(row.attempts),
          lastError: (row.last_error as string | null) ?? null,
          createdAt: String(row.created_at),
        }
      );
    },

    async updateOutbound(emailId, patch) {
      await db('outbound_messages')
        .where('email_id', emailId)
        .update({
          state: patch.state,
          attempts: patch.attempts,
          ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
          ...(patch.messageId !== undefined ? { message_id: patch.messageId } : {}),
        });
    },

    async addReport(report) {
      await db('delivery_reports')
        .insert({
          device_id: report.deviceId,
          email_id: report.emailId,
          status: report.status,
          at: report.at,
          detail: report.detail,
          state: 'pending',
        })
        .onConflict(['device_id', 'email_id', 'status'])
        .ignore();
    },

    async figures(): Promise<CloudFigures> {
      const one = async (query: Knex.QueryBuilder) =>
        Number(((await query) as Array<{ n: number }>)[0]?.n ?? 0);
      const grouped = async (table: string, column: string) =>
        countMap(
          (await db(table).select(`${column} as key`).count({ n: '*' }).groupBy(column)) as Array<{
            key: string;
            n: number;
          }>,
        );
      const byDevice = (await db('devices as d')
        .select('d.name')
        .select(
          db.raw(
            `(SELECT count(*) FROM device_emails e WHERE e.device_id = d.id AND e.state <> 'acked') AS pending`,
          ),
        )
        .orderBy('d.name')) as Array<{ name: string; pending: number | string }>;
      return {
        devices: await one(db('devices').count({ n: '*' })),
        pendingEmails: await one(db('device_emails').whereNot('state', 'acked').count({ n: '*' })),
        emails: await one(db('emails').count({ n: '*' })),
        inbound: await grouped('inbound_messages', 'state'),
        outbound: await grouped('outbound_messages', 'state'),
        reports: await grouped('delivery_reports', 'status'),
        pendingByDevice: byDevice.map((row) => ({ name: row.name, pending: Number(row.pending) })),
      };
    },
  };
  return store;
}
