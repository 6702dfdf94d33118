/** What the device service needs from storage. The db edge implements it (src/db/store.ts). */

export interface Device {
  readonly id: string;
  readonly name: string;
  /** `<name>.<root domain>`: its users are `<user>@<domain>`. */
  readonly domain: string;
  readonly createdAt: string;
  readonly lastSyncAt: string | null;
}

export interface DeviceSummary extends Device {
  /** Emails waiting for the device's acknowledgement. */
  readonly pendingEmails: number;
  readonly users: number;
  /** Bytes moved over the device's link by all its syncs (up plus down). */
  readonly dataBytes: number;
}

export interface SyncFigure {
  readonly at: string;
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly emailsUp: number;
  readonly emailsDown: number;
}

export interface DayFigure {
  /** `yyyy-mm-dd`, UTC. */
  readonly day: string;
  readonly emailsIn: number;
  readonly emailsOut: number;
}

export interface DeviceStats {
  readonly syncs: readonly SyncFigure[];
  readonly days: readonly DayFigure[];
}

export interface DeviceRecord extends Device {
  readonly tokenHash: string;
}

export interface DeviceStore {
  /** Runs `fn` in one transaction; jobs it enqueues commit with its data. */
  transaction<T>(fn: (tx: DeviceStore) => Promise<T>): Promise<T>;
  enqueue(name: string, payload: Record<string, unknown>): Promise<void>;
  /** Throws CONFLICT when the name or domain is taken. */
  insertDevice(record: DeviceRecord): Promise<void>;
  findDevice(id: string): Promise<Device | undefined>;
  findDeviceByTokenHash(hash: string): Promise<DeviceRecord | undefined>;
  listDevices(): Promise<DeviceSummary[]>;
  summarizeDevice(id: string): Promise<DeviceSummary | undefined>;
  deviceStats(id: string, sinceDay: string): Promise<DeviceStats>;
  deleteDevice(id: string): Promise<boolean>;
  setDeviceToken(id: string, tokenHash: string): Promise<boolean>;
}
