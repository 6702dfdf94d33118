import * as v from 'valibot';
import type { DeviceStats, DeviceSummary, RegisteredDevice } from '../devices/index.js';

// The wire shape of devices: snake_case like the rest of the protocol.

export const DeviceSchema = v.object({
  id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  domain: v.string(),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  last_sync_at: v.nullable(v.pipe(v.string(), v.isoTimestamp())),
  pending_emails: v.pipe(v.number(), v.integer()),
  users: v.pipe(v.number(), v.integer()),
  data_bytes: v.pipe(v.number(), v.integer(), v.description('Bytes moved by all syncs, up plus down')),
});

export const RegisteredDeviceSchema = v.object({
  id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  domain: v.string(),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  token: v.pipe(v.string(), v.description('The device token, lkd_…; shown only now.')),
});

export const DeviceDetailSchema = v.object({
  ...DeviceSchema.entries,
  stats: v.object({
    syncs: v.array(
      v.object({
        at: v.string(),
        bytes_up: v.number(),
        bytes_down: v.number(),
        emails_up: v.number(),
        emails_down: v.number(),
      }),
    ),
    days: v.array(v.object({ day: v.string(), emails_in: v.number(), emails_out: v.number() })),
  }),
});

export function serializeDevice(device: DeviceSummary) {
  return {
    id: device.id,
    name: device.name,
    domain: device.domain,
    created_at: device.createdAt,
    last_sync_at: device.lastSyncAt,
    pending_emails: device.pendingEmails,
    users: device.users,
    data_bytes: device.dataBytes,
  };
}

export function serializeRegistered(device: RegisteredDevice) {
  return {
    id: device.id,
    name: device.name,
    domain: device.domain,
    created_at: device.createdAt,
    token: device.token,
  };
}

export function serializeDetail(device: DeviceSummary & { stats: DeviceStats }) {
  return {
    ...serializeDevice(device),
    stats: {
      syncs: device.stats.syncs.map((s) => ({
        at: s.at,
        bytes_up: s.bytesUp,
        bytes_down: s.bytesDown,
        emails_up: s.emailsUp,
        emails_down: s.emailsDown,
      })),
      days: device.stats.days.map((d) => ({ day: d.day, emails_in: d.emailsIn, emails_out: d.emailsOut })),
    },
  };
}
