import type { Email } from '@lokole/protocol';
import type { ReportRecord } from '../mail/index.js';

export type PackageKind = 'upload' | 'download';
export type PackageState = 'open' | 'committed' | 'processed' | 'ready' | 'acked' | 'expired';

export interface PackageRecord {
  readonly id: string;
  readonly deviceId: string;
  readonly kind: PackageKind;
  readonly state: PackageState;
  readonly size: number;
  readonly sha256: string;
  readonly emails: number;
  readonly blobKey: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

export interface PendingEmail {
  readonly email: Email;
}

/** The storage the sync service needs. */
export interface SyncStore {
  transaction<T>(fn: (tx: SyncStore) => Promise<T>): Promise<T>;
  enqueue(name: string, payload: Record<string, unknown>): Promise<void>;
  insertPackage(record: PackageRecord): Promise<void>;
  findPackage(id: string): Promise<PackageRecord | undefined>;
  /** The device's upload of these bytes that is not expired, if any (a resumed upload). */
  findUpload(deviceId: string, sha256: string, size: number): Promise<PackageRecord | undefined>;
  /** The download the device has not acknowledged yet, if any. */
  findReadyDownload(deviceId: string): Promise<PackageRecord | undefined>;
  setPackageState(
    id: string,
    state: PackageState,
    patch?: { blobKey?: string; doneAt?: string },
  ): Promise<void>;
  putBlock(packageId: string, n: number, data: Buffer): Promise<void>;
  blockNumbers(packageId: string): Promise<number[]>;
  readBlock(packageId: string, n: number): Promise<Buffer | undefined>;
  deleteBlocks(packageId: string): Promise<void>;
  /** Emails pending for the device (not acknowledged), oldest first. */
  pendingEmails(deviceId: string, limit: number): Promise<Email[]>;
  pendingReports(deviceId: string): Promise<ReportRecord[]>;
  pendingRequests(deviceId: string): Promise<string[]>;
  /** Marks what a download carries as packaged in it. */
  assignToPackage(
    deviceId: string,
    packageId: string,
    what: { emails: readonly string[]; reports: readonly ReportRecord[]; requests: readonly string[] },
  ): Promise<void>;
  /** Clears what the package carried: the device holds it now. */
  acknowledge(deviceId: string, packageId: string, at: string): Promise<void>;
  addRequests(deviceId: string, sha256s: readonly string[], at: string): Promise<void>;
  upsertDeviceUsers(
    deviceId: string,
    users: ReadonlyArray<{ address: string; createdAt: string }>,
  ): Promise<void>;
  recordSync(
    deviceId: string,
    row: { at: string; bytesUp: number; bytesDown: number; emailsUp: number; emailsDown: number },
  ): Promise<void>;
  /** Uploads still open past their expiry. */
  expiredUploads(now: string): Promise<PackageRecord[]>;
}
