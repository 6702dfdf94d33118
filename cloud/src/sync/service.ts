import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Logger } from 'pino';
import {
  LokoleError,
  readPackage,
  sha256Hex,
  validatePackage,
  writePackage,
  type AttachmentRef,
  type Compression,
  type Email,
} from '@lokole/protocol';
import type { Device } from '../devices/index.js';
import { attachmentKey, type BlobStore, type Outbox } from '../mail/index.js';
import type { PackageRecord, SyncStore } from './ports.js';

/** Uploads arrive in blocks of this size (the last may be shorter): a lost connection costs at most one. */
export const BLOCK_SIZE = 256 * 1024;
/** Attachments larger than this stay in the cloud unless the device asks for another threshold. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 150 * 1024;
const MAX_EMAILS_PER_DOWNLOAD = 5000;

export interface SyncRequest {
  readonly upload?: { readonly size: number; readonly sha256: string; readonly emails: number };
  readonly ack?: readonly string[];
  readonly accept?: readonly Compression[];
  readonly maxAttachmentBytes?: number;
}

export interface UploadOffer {
  readonly id: string;
  readonly state: 'open' | 'committed';
  readonly blockSize: number;
  /** Block numbers the cloud already has: a resumed upload sends only the others. */
  readonly received: readonly number[];
  readonly expiresAt: string | null;
}

export interface DownloadOffer {
  readonly id: string;
  readonly size: number;
  readonly sha256: string;
  readonly emails: number;
}

export interface SyncAnswer {
  readonly time: string;
  readonly upload: UploadOffer | null;
  readonly download: DownloadOffer | null;
  readonly acked: readonly string[];
}

/** Makes a small preview (JPEG) of an image or PDF; undefined when it cannot. */
export type Previewer = (bytes: Buffer, type: string) => Promise<Buffer | undefined>;

export interface SyncDeps {
  readonly store: SyncStore;
  readonly blobs: BlobStore;
  readonly outbox: Outbox;
  readonly now: () => Date;
  readonly log: Logger;
  /** How long an open upload waits for its blocks. */
  readonly uploadTtlSeconds: number;
  readonly previewer?: Previewer;
  readonly tmpDir?: string;
}

async function drain(content: AsyncIterable<Buffer>): Promise<void> {
  // The reader checks the hash as the bytes pass, so they must pass even when we have them.
  for await (const chunk of content) void chunk;
}

function packageKey(id: string): string {
  return `packages/${id}`;
}

function notFound(id: string): LokoleError {
  return new LokoleError('NOT_FOUND', `No package ${id} for this device.`, { reason: 'no-package' });
}

/**
 * The cloud side of protocol.md "Transfer": offers, block uploads with resume, commit (durable
 * before the answer, processed by a job idempotent by email id), downloads built from the
 * device's pending mail and reports, and acknowledgements that clear them.
 */
export function createSyncService(deps: SyncDeps) {
  const { store, blobs, outbox, now, log } = deps;

  async function mine(device: Device, id: string, kind: PackageRecord['kind']): Promise<PackageRecord> {
    const record = await store.findPackage(id);
    // Another device's package is "not found": its existence is not for this device to learn.
    if (!record || record.deviceId !== device.id) throw notFound(id);
    if (record.kind !== kind) {
      throw new LokoleError('CONFLICT', `Package ${id} is a ${record.kind}, not a ${kind}.`, {
        reason: 'wrong-kind',
      });
    }
    return record;
  }

  function blockCount(size: number): number {
    return Math.max(1, Math.ceil(size / BLOCK_SIZE));
  }

  async function* blocksOf(record: PackageRecord): AsyncGenerator<Buffer> {
    for (let n = 0; n < blockCount(record.size); n += 1) {
      const block = await store.readBlock(record.id, n);
      if (!block) throw new LokoleError('CONFLICT', `Block ${n} of package ${record.id} is missing.`);
      yield block;
    }
  }

  async function previewOf(ref: AttachmentRef): Promise<string | undefined> {
    if (!deps.previewer || !/^(image\/|application\/pdf)/.test(ref.type)) return undefined;
    const cacheKey = `previews/${ref.sha256}`;
    try {
      let bytes: Buffer | undefined;
      if (await blobs.exists(cacheKey)) bytes = await buffer(await blobs.get(cacheKey));
      else {
        bytes = await deps.previewer(await buffer(await blobs.get(attachmentKey(ref.sha256))), ref.type);
        if (!bytes) return undefined;
        await blobs.put(cacheKey, bytes, { contentType: 'image/jpeg' });
      }
      const sha256 = sha256Hex(bytes);
      if (!(await blobs.exists(attachmentKey(sha256))))
        await blobs.put(attachmentKey(sha256), bytes, { contentType: 'image/jpeg' });
      return sha256;
    } catch (error) {
      log.warn({ err: error, sha256: ref.sha256 }, 'no preview');
      return undefined;
    }
  }

  async function buildDownload(device: Device, request: SyncRequest): Promise<PackageRecord | undefined> {
    const ready = await store.findReadyDownload(device.id);
    if (ready) return ready;
    const emails = await store.pendingEmails(device.id, MAX_EMAILS_PER_DOWNLOAD);
    const reports = await store.pendingReports(device.id);
    const requests = await store.pendingRequests(device.id);
    if (emails.length === 0 && reports.length === 0 && requests.length === 0) return undefined;
    const max = request.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
    const wanted = new Set(requests);
    const sizes = new Map<string, number>();
    const shaped: Email[] = [];
    for (const email of emails) {
      const attachments: AttachmentRef[] = [];
      for (const ref of email.attachments) {
        if (ref.deferred || (max > 0 && ref.size > max && !wanted.has(ref.sha256))) {
          const preview = ref.preview ?? (await previewOf(ref));
          attachments.push({ ...ref, deferred: true, ...(preview ? { preview } : {}) });
          if (preview) sizes.set(preview, -1);
        } else {
          attachments.push(ref);
          sizes.set(ref.sha256, ref.size);
        }
      }
      shaped.push({ ...email, attachments });
    }
    const extra = requests.filter((sha256) => !sizes.has(sha256));
    const id = randomUUID();
    const dir = await mkdtemp(path.join(deps.tmpDir ?? os.tmpdir(), 'lokole-download-'));
    try {
      const file = path.join(dir, 'package.tar');
      const compression: Compression = !request.accept || request.accept.includes('br') ? 'br' : 'gzip';
      await writePackage(
        {
          kind: 'download',
          device: device.id,
          created: now(),
          emails: shaped,
          reports: reports.map((r) => ({ _uid: r.emailId, status: r.status, at: r.at, detail: r.detail })),
          attachments: async (sha256) => {
            const size = sizes.get(sha256);
            if (size === undefined || size < 0) return buffer(await blobs.get(attachmentKey(sha256)));
            return { size, content: await blobs.get(attachmentKey(sha256)) };
          },
          extraAttachments: extra,
        },
        createWriteStream(file),
        { compression, tmpDir: dir },
      );
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
      const size = (await stat(file)).size;
      await blobs.put(packageKey(id), createReadStream(file), { contentType: 'application/x-tar' });
      const record: PackageRecord = {
        id,
        deviceId: device.id,
        kind: 'download',
        state: 'ready',
        size,
        sha256: hash.digest('hex'),
        emails: shaped.length,
        blobKey: packageKey(id),
        createdAt: now().toISOString(),
        expiresAt: null,
      };
      await store.transaction(async (tx) => {
        await tx.insertPackage(record);
        await tx.assignToPackage(device.id, id, {
          emails: shaped.map((email) => email._uid),
          reports,
          requests,
        });
      });
      log.info({ device: device.name, id, size, emails: shaped.length }, 'download built');
      return record;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const service = {
    async begin(device: Device, request: SyncRequest): Promise<SyncAnswer> {
      const acked: string[] = [];
      for (const id of request.ack ?? []) {
        const record = await store.findPackage(id);
        if (record && record.deviceId === device.id && record.kind === 'download') {
          if (record.state === 'ready') await service.ack(device, id);
          acked.push(id);
        }
      }
      let upload: UploadOffer | null = null;
      if (request.upload) {
        const { size, sha256, emails } = request.upload;
        let record = await store.findUpload(device.id, sha256, size);
        if (record && record.state === 'open' && record.expiresAt && record.expiresAt < now().toISOString()) {
          await store.deleteBlocks(record.id);
          await store.setPackageState(record.id, 'expired');
          record = undefined;
        }
        if (!record) {
          record = {
            id: randomUUID(),
            deviceId: device.id,
            kind: 'upload',
            state: 'open',
            size,
            sha256,
            emails,
            blobKey: null,
            createdAt: now().toISOString(),
            expiresAt: new Date(now().getTime() + deps.uploadTtlSeconds * 1000).toISOString(),
          };
          await store.insertPackage(record);
        }
        upload = {
          id: record.id,
          state: record.state === 'open' ? 'open' : 'committed',
          blockSize: BLOCK_SIZE,
          received: record.state === 'open' ? await store.blockNumbers(record.id) : [],
          expiresAt: record.expiresAt,
        };
      }
      const download = await buildDownload(device, request);
      return {
        time: now().toISOString(),
        upload,
        download: download
          ? { id: download.id, size: download.size, sha256: download.sha256, emails: download.emails }
          : null,
        acked,
      };
    },

    async putBlock(device: Device, id: string, n: number, data: Buffer): Promise<void> {
      const record = await mine(device, id, 'upload');
      if (record.state !== 'open') return; // committed already: a replayed block changes nothing
      if (record.expiresAt && record.expiresAt < now().toISOString()) {
        throw new LokoleError('CONFLICT', `Upload ${id} expired at ${record.expiresAt}; start a new sync.`, {
          reason: 'upload-expired',
        });
      }
      const count = blockCount(record.size);
      const expected = n === count - 1 ? record.size - BLOCK_SIZE * (count - 1) : BLOCK_SIZE;
      if (n < 0 || n >= count || data.length !== expected) {
        throw new LokoleError(
          'INVALID_INPUT',
          `Block ${n} of upload ${id} should be ${n >= count ? 'absent' : `${expected} bytes`} (got ${data.length}); the upload has ${count} blocks of ${BLOCK_SIZE} bytes.`,
          { reason: 'bad-block' },
        );
      }
      await store.putBlock(id, n, data);
    },

    /** Checks and stores the upload as one blob and queues its processing; durable before it returns. */
    async commit(device: Device, id: string): Promise<{ state: 'committed'; emails: number }> {
      const record = await mine(device, id, 'upload');
      if (record.state !== 'open') {
        if (record.state === 'expired')
          throw new LokoleError('CONFLICT', `Upload ${id} expired; start a new sync.`, {
            reason: 'upload-expired',
          });
        return { state: 'committed', emails: record.emails };
      }
      const have = new Set(await store.blockNumbers(id));
      const missing = Array.from({ length: blockCount(record.size) }, (_, n) => n).filter(
        (n) => !have.has(n),
      );
      if (missing.length > 0) {
        throw new LokoleError('CONFLICT', `Upload ${id} is missing blocks ${missing.join(', ')}.`, {
          reason: 'missing-blocks',
        });
      }
      const hash = createHash('sha256');
      let summary;
      try {
        summary = await validatePackage(
          (async function* () {
            for await (const block of blocksOf(record)) {
              hash.update(block);
              yield block;
            }
          })(),
        );
      } catch (error) {
        await store.deleteBlocks(id);
        throw error;
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== record.sha256 || summary.info.manifest?.kind !== 'upload') {
        await store.deleteBlocks(id);
        throw new LokoleError(
          'PACKAGE_CORRUPT',
          sha256 !== record.sha256
            ? `Upload ${id} hashes to ${sha256}, not the announced ${record.sha256}; it was dropped, send it again.`
            : `Upload ${id} is not an upload package.`,
          { reason: sha256 !== record.sha256 ? 'hash-mismatch' : 'wrong-kind' },
        );
      }
      await blobs.put(packageKey(id), Readable.from(blocksOf(record)), { contentType: 'application/x-tar' });
      await store.transaction(async (tx) => {
        await tx.setPackageState(id, 'committed', { blobKey: packageKey(id), doneAt: now().toISOString() });
        await tx.deleteBlocks(id);
        await tx.enqueue('process-upload', { id });
        await tx.recordSync(device.id, {
          at: now().toISOString(),
          bytesUp: record.size,
          bytesDown: 0,
          emailsUp: summary.counts.emails,
          emailsDown: 0,
        });
      });
      log.info(
        { device: device.name, id, size: record.size, emails: summary.counts.emails },
        'upload committed',
      );
      return { state: 'committed', emails: summary.counts.emails };
    },

    /** The job: stores each email once, delivers it, queues what goes out. Safe to run again. */
    async processUpload(id: string): Promise<void> {
      const record = await store.findPackage(id);
      if (!record || record.state !== 'committed' || !record.blobKey) return;
      const emails: Email[] = [];
      const users: Array<{ address: string; createdAt: string }> = [];
      const requests: string[] = [];
      for await (const item of readPackage(await blobs.get(record.blobKey))) {
        if (item.type === 'email') emails.push(item.email);
        else if (item.type === 'user')
          users.push({ address: item.user.address, createdAt: item.user.created_at ?? now().toISOString() });
        else if (item.type === 'request') requests.push(item.request.sha256);
        else if (item.type === 'attachment') {
          const key = attachmentKey(item.sha256);
          if (await blobs.exists(key)) await drain(item.content);
          else await blobs.put(key, Readable.from(item.content));
        }
      }
      for (const email of emails) await outbox.submit(email, { deviceId: record.deviceId, origin: 'device' });
      await store.upsertDeviceUsers(record.deviceId, users);
      await store.addRequests(record.deviceId, requests, now().toISOString());
      await store.setPackageState(id, 'processed', { doneAt: now().toISOString() });
      await blobs.delete(record.blobKey);
      log.info(
        { id, emails: emails.length, users: users.length, requests: requests.length },
        'upload processed',
      );
    },

    async openDownload(
      device: Device,
      id: string,
      from: number,
    ): Promise<{ record: PackageRecord; body: Readable }> {
      const record = await mine(device, id, 'download');
      if (record.state !== 'ready' || !record.blobKey) {
        throw new LokoleError('CONFLICT', `Download ${id} was acknowledged already.`, {
          reason: 'already-acknowledged',
        });
      }
      if (from >= record.size) return { record, body: Readable.from([]) };
      return { record, body: await blobs.get(record.blobKey, { offset: from }) };
    },

    async ack(device: Device, id: string): Promise<void> {
      const record = await mine(device, id, 'download');
      if (record.state !== 'ready') {
        throw new LokoleError('CONFLICT', `Download ${id} was acknowledged already; nothing changed.`, {
          reason: 'already-acknowledged',
        });
      }
      await store.transaction(async (tx) => {
        await tx.acknowledge(device.id, id, now().toISOString());
        await tx.recordSync(device.id, {
          at: now().toISOString(),
          bytesUp: 0,
          bytesDown: record.size,
          emailsUp: 0,
          emailsDown: record.emails,
        });
      });
      if (record.blobKey) await blobs.delete(record.blobKey);
      log.info({ device: device.name, id }, 'download acknowledged');
    },

    /** Drops the blocks of uploads nobody finished in time. */
    async expireUploads(): Promise<number> {
      const expired = await store.expiredUploads(now().toISOString());
      for (const record of expired) {
        await store.deleteBlocks(record.id);
        await store.setPackageState(record.id, 'expired');
      }
      return expired.length;
    },
  };
  return service;
}

export type SyncService = ReturnType<typeof createSyncService>;
