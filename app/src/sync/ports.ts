import type { Readable } from 'node:stream';

/** What the cloud answers to `POST /api/v2/sync`. */
export interface SyncOffer {
  time: string;
  upload: {
    id: string;
    state: 'open' | 'committed';
    block_size: number;
    received: number[];
    expires_at: string | null;
  } | null;
  download: { id: string; size: number; sha256: string; emails: number } | null;
  acked: string[];
}

export interface SyncBody {
  upload?: { size: number; sha256: string; emails: number };
  ack?: string[];
  accept: Array<'br' | 'gzip'>;
  max_attachment_bytes: number;
}

/** The cloud API, as the sync run sees it (the HTTP edge implements it). Errors are LokoleErrors. */
export interface CloudApi {
  begin(body: SyncBody): Promise<SyncOffer>;
  putBlock(id: string, n: number, data: Buffer): Promise<void>;
  commit(id: string): Promise<void>;
  /** The package from byte `from`; the stream ends early when the connection is cut. */
  download(id: string, from: number): Promise<Readable>;
  /** Resolves also when the cloud says it was acknowledged already. */
  ack(id: string): Promise<void>;
  /** Bytes moved so far, counted at the sockets (TLS and HTTP included). */
  bytes(): { up: number; down: number };
  close(): void;
}

/** Where the device's clock is corrected: the privileged apply path on a device, an offset file in development. */
export interface Clock {
  now(): Date;
  correct(offsetMs: number): Promise<void>;
}

import type { DeliveryReport, Email, PackageUser } from '@lokole/protocol';
import type { LinkReport } from '../link/index.js';

/** The device's mail, as sync needs it. */
export interface SyncMail {
  /** The outbox and the accounts not yet sent to the cloud. */
  pendingUpload(): Promise<{ emails: Email[]; users: PackageUser[] }>;
  /** The cloud has these: waiting → handed, the users are synced. */
  markUploaded(uids: readonly string[], users: readonly string[], at: string): Promise<void>;
  /** Imports a verified download in one transaction; attachment bytes are in the file store already. */
  importDownload(download: {
    emails: readonly Email[];
    reports: readonly DeliveryReport[];
    arrived: readonly string[];
  }): Promise<number>;
}

export interface SyncRunRecord {
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'failed';
  bytesUp: number;
  bytesDown: number;
  emailsUp: number;
  emailsDown: number;
  steps: Array<{ step: string; ms: number; error?: string }>;
  clockOffsetMs: number | undefined;
  /** What the link counted (for the modem: the ppp0 bytes, the dial time, signal and operator at dial time). */
  link?: LinkReport;
}

/** The sync log (`sync_runs`). */
export interface SyncLog {
  start(at: string): Promise<number>;
  finish(id: number, run: SyncRunRecord): Promise<void>;
}
