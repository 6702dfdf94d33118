import { randomUUID } from 'node:crypto';
import { LokoleError } from '@lokole/protocol';
import { createToken, hashToken, isSameHash } from '../auth/index.js';
import { checkDeviceName } from './names.js';
import type { Device, DeviceStats, DeviceStore, DeviceSummary } from './ports.js';

export interface DeviceServiceDeps {
  readonly store: DeviceStore;
  readonly rootDomain: string;
  /** When true, registration and deletion enqueue the MX record change (Cloudflare). */
  readonly manageDns: boolean;
  readonly now: () => Date;
}

export interface RegisteredDevice extends Device {
  /** The device token, shown once. */
  readonly token: string;
}

/** Days of per-day figures that a device's details show. */
const STATS_DAYS = 30;

export function createDeviceService(deps: DeviceServiceDeps) {
  const { store, rootDomain, manageDns, now } = deps;

  async function mustFind(id: string): Promise<Device> {
    const device = await store.findDevice(id);
    if (!device) throw notFound(id);
    return device;
  }

  return {
    async register(name: unknown): Promise<RegisteredDevice> {
      const checked = checkDeviceName(name);
      const { token, hash } = createToken('lkd_');
      const device: Device = {
        id: randomUUID(),
        name: checked,
        domain: `${checked}.${rootDomain}`,
        createdAt: now().toISOString(),
        lastSyncAt: null,
      };
      await store.transaction(async (tx) => {
        await tx.insertDevice({ ...device, tokenHash: hash });
        if (manageDns) await tx.enqueue('dns-add-mx', { domain: device.domain });
      });
      return { ...device, token };
    },

    find(id: string): Promise<Device | undefined> {
      return store.findDevice(id);
    },

    list(): Promise<DeviceSummary[]> {
      return store.listDevices();
    },

    async get(id: string): Promise<DeviceSummary & { stats: DeviceStats }> {
      const summary = await store.summarizeDevice(id);
      if (!summary) throw notFound(id);
      const since = new Date(now().getTime() - STATS_DAYS * 86_400_000).toISOString().slice(0, 10);
      return { ...summary, stats: await store.deviceStats(id, since) };
    },

    async remove(id: string): Promise<void> {
      const device = await mustFind(id);
      await store.transaction(async (tx) => {
        await tx.deleteDevice(id);
        if (manageDns) await tx.enqueue('dns-remove-mx', { domain: device.domain });
      });
    },

    async rotateToken(id: string): Promise<RegisteredDevice> {
      const device = await mustFind(id);
      const { token, hash } = createToken('lkd_');
      if (!(await store.setDeviceToken(id, hash))) throw notFound(id);
      return { ...device, token };
    },

    /** The device a bearer token belongs to, or undefined (used by the sync API). */
    async authenticate(token: string): Promise<Device | undefined> {
      if (!token.startsWith('lkd_')) return undefined;
      const hash = hashToken(token);
      const record = await store.findDeviceByTokenHash(hash);
      if (!record || !isSameHash(record.tokenHash, hash)) return undefined;
      return {
        id: record.id,
        name: record.name,
        domain: record.domain,
        createdAt: record.createdAt,
        lastSyncAt: record.lastSyncAt,
      };
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;

function notFound(id: string): LokoleError {
  return new LokoleError(
    'NOT_FOUND',
    `No device has the id "${id}"; list devices with GET /api/v2/admin/devices.`,
    {
      reason: 'unknown-device',
    },
  );
}
