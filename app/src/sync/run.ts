import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { LokoleError, readPackage, writePackage, type DeliveryReport, type Email } from '@lokole/protocol';
import type { Link, LinkReport } from '../link/index.js';
import type { AttachmentFiles } from '../mail/index.js';
import type { CloudApi, Clock, SyncLog, SyncMail, SyncRunRecord } from './ports.js';

/** Attachments over this stay in the cloud; the device gets metadata and a preview (protocol.md). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 150 * 1024;
/** The clock is corrected past this drift (architecture.md "Time on a device without a clock"). */
export const CLOCK_TOLERANCE_MS = 2 * 60_000;

export interface SyncDeps {
  /** `/var/lib/lokole/sync`: packages in flight and the sync state, so a crash resumes. */
  dir: string;
  deviceId: string;
  api: CloudApi;
  link: Link;
  mail: SyncMail;
  files: AttachmentFiles;
  clock: Clock;
  log: Logger;
  syncLog: SyncLog;
  maxAttachmentBytes?: number;
}

interface UploadMeta {
  sha256: string;
  size: number;
  uids: string[];
  users: string[];
  requests: string[];
}

interface SyncState {
  /** Downloads imported but not yet acknowledged. */
  ack: string[];
  clockOffsetMs?: number;
}

export type SyncResult = SyncRunRecord;

async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}

/** Temp name, fsync, rename: survives a power cut. */
async function writeJson(file: string, value: unknown): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(value));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

async function hashOf(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The user's "get full file" requests, kept until an upload carries them. */
export async function requestFullFile(dir: string, sha256: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const list = await listFullFileRequests(dir);
  if (!list.includes(sha256)) await writeJson(path.join(dir, 'requests.json'), [...list, sha256]);
}

/** The held-back attachments asked for and not yet carried by an upload. */
export async function listFullFileRequests(dir: string): Promise<string[]> {
  return readJson<string[]>(path.join(dir, 'requests.json'), []);
}

/**
 * One sync as steps (protocol.md "Transfer"), each safe to repeat after a crash at any point:
 * pack → link up → offer (+ pending acks, clock) → upload missing blocks → commit → mark handed →
 * download (Range resume) → verify → import (one transaction) → ack → link down.
 */
export async function runSync(deps: SyncDeps): Promise<SyncResult> {
  const { dir, api, link, mail, files, clock, log } = deps;
  await mkdir(dir, { recursive: true });
  const statePath = path.join(dir, 'state.json');
  const uploadPath = path.join(dir, 'upload.tar');
  const uploadMetaPath = path.join(dir, 'upload.json');
  const startedAt = clock.now().toISOString();
  const runId = await deps.syncLog.start(startedAt);
  const steps: SyncRunRecord['steps'] = [];
  let emailsUp = 0;
  let emailsDown = 0;
  let clockOffsetMs: number | undefined;

  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const begin = Date.now();
    try {
      const result = await work();
      steps.push({ step: name, ms: Date.now() - begin });
      return result;
    } catch (error) {
      steps.push({ step: name, ms: Date.now() - begin, error: (error as Error).message });
      throw error;
    }
  }

  let failure: unknown;
  let session: Awaited<ReturnType<Link['up']>> | undefined;
  let linkReport: LinkReport | undefined;
  try {
    // 1. Pack, unless a package from an interrupted sync is waiting (its mail is in it).
    let meta = await readJson<UploadMeta | undefined>(uploadMetaPath, undefined);
    if (!meta) {
      meta = await step('pack', async () => {
        const { emails, users } = await mail.pendingUpload();
        const requests = await readJson<string[]>(path.join(dir, 'requests.json'), []);
        if (emails.length === 0 && users.length === 0 && requests.length === 0) return undefined;
        const temp = `${uploadPath}.tmp`;
        await writePackage(
          {
            kind: 'upload',
            device: deps.deviceId,
            created: clock.now(),
            emails,
            users,
            requests: requests.map((sha256) => ({ sha256 })),
            attachments: async (sha256) => {
              const file = files.pathFor(sha256);
              return { size: (await stat(file)).size, content: createReadStream(file) };
            },
          },
          createWriteStream(temp),
          { tmpDir: dir },
        );
        await rename(temp, uploadPath);
        const packed: UploadMeta = {
          ...(await hashOf(uploadPath)),
          uids: emails.map((email) => email._uid),
          users: users.map((user) => user.address),
          requests,
        };
        await writeJson(uploadMetaPath, packed);
        return packed;
      });
    }

    session = await step('link-up', () => link.up());
    const state = await readJson<SyncState>(statePath, { ack: [] });

    // 2. Offer: what we upload, what we imported; the answer carries the cloud's time.
    const offer = await step('offer', () =>
      api.begin({
        ...(meta ? { upload: { size: meta.size, sha256: meta.sha256, emails: meta.uids.length } } : {}),
        ...(state.ack.length > 0 ? { ack: state.ack } : {}),
        accept: ['br', 'gzip'],
        max_attachment_bytes: deps.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES,
      }),
    );
    if (state.ack.length > 0) await writeJson(statePath, { ...state, ack: [] });
    const offset = new Date(offer.time).getTime() - clock.now().getTime();
    clockOffsetMs = offset;
    if (Math.abs(offset) > CLOCK_TOLERANCE_MS) {
      await step('clock', () => clock.correct(offset));
      log.info({ offsetMs: offset }, 'clock corrected');
    }

    // 3. Upload the blocks the cloud does not have, then commit.
    if (meta && offer.upload) {
      const upload = offer.upload;
      const uploadMeta = meta;
      if (upload.state === 'open') {
        await step('upload', async () => {
          const have = new Set(upload.received);
          const handle = await open(uploadPath, 'r');
          try {
            const count = Math.max(1, Math.ceil(uploadMeta.size / upload.block_size));
            for (let n = 0; n < count; n += 1) {
              if (have.has(n)) continue;
              const length = Math.min(upload.block_size, uploadMeta.size - n * upload.block_size);
              const block = Buffer.alloc(length);
              await handle.read(block, 0, length, n * upload.block_size);
              await api.putBlock(upload.id, n, block);
            }
          } finally {
            await handle.close();
          }
        });
        await step('commit', () => api.commit(upload.id));
      }
      await step('handed', async () => {
        await mail.markUploaded(uploadMeta.uids, uploadMeta.users, clock.now().toISOString());
        const requestsPath = path.join(dir, 'requests.json');
        const left = (await readJson<string[]>(requestsPath, [])).filter(
          (s) => !uploadMeta.requests.includes(s),
        );
        await writeJson(requestsPath, left);
        await rm(uploadMetaPath, { force: true });
        await rm(uploadPath, { force: true });
      });
      emailsUp = uploadMeta.uids.length;
    }

    // 4. Download with resume, verify, import, acknowledge.
    const download = offer.download;
    if (download) {
      const part = path.join(dir, `download-${download.id}.part`);
      await step('download', async () => {
        const have = await stat(part).then(
          (s) => s.size,
          () => 0,
        );
        if (have < download.size) {
          const body = await api.download(download.id, have);
          await pipeline(body, createWriteStream(part, { flags: 'a' }));
        }
      });
      await step('verify', async () => {
        const got = await hashOf(part);
        if (got.size !== download.size || got.sha256 !== download.sha256) {
          if (got.size >= download.size) await rm(part, { force: true });
          throw new LokoleError(
            got.size < download.size ? 'UNAVAILABLE' : 'PACKAGE_CORRUPT',
            got.size < download.size
              ? `The download stopped at ${got.size} of ${download.size} bytes; the next sync resumes from there.`
              : `The download does not match its hash (${got.sha256}, expected ${download.sha256}); it was deleted and comes again next sync.`,
            { reason: got.size < download.size ? 'download-incomplete' : 'hash-mismatch' },
          );
        }
      });
      emailsDown = await step('import', async () => {
        // Pass 1 checks the whole package and files its attachments (content-addressed: harmless
        // if the import then fails); pass 2 imports the mail in one transaction.
        const emails: Email[] = [];
        const reports: DeliveryReport[] = [];
        const arrived: string[] = [];
        try {
          for await (const item of readPackage(createReadStream(part))) {
            if (item.type === 'email') emails.push(item.email);
            else if (item.type === 'report') reports.push(item.report);
            else if (item.type === 'attachment') {
              const temp = files.tempPath();
              await mkdir(path.dirname(temp), { recursive: true });
              await pipeline(item.content, createWriteStream(temp));
              await files.putFile(temp);
              arrived.push(item.sha256);
            }
          }
        } catch (error) {
          await rm(part, { force: true });
          throw error;
        }
        const count = await mail.importDownload({ emails, reports, arrived });
        await writeJson(statePath, {
          ...(await readJson<SyncState>(statePath, { ack: [] })),
          ack: [download.id],
        });
        await rm(part, { force: true });
        return count;
      });
      await step('ack', async () => {
        await api.ack(download.id);
        await writeJson(statePath, { ...(await readJson<SyncState>(statePath, { ack: [] })), ack: [] });
      });
    }
  } catch (error) {
    failure = error;
  } finally {
    if (session) {
      const linkSession = session;
      await step('link-down', async () => {
        linkReport = await link.down(linkSession);
      }).catch(() => undefined);
    }
  }
  const bytes = api.bytes();
  api.close();
  const record: SyncRunRecord = {
    startedAt,
    finishedAt: clock.now().toISOString(),
    status: failure ? 'failed' : 'ok',
    bytesUp: bytes.up,
    bytesDown: bytes.down,
    emailsUp,
    emailsDown,
    steps,
    clockOffsetMs,
    ...(linkReport ? { link: linkReport } : {}),
  };
  await deps.syncLog.finish(runId, record);
  log.info({ ...record, steps: undefined }, 'sync finished');
  if (failure) throw failure;
  return record;
}
