import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { LokoleError } from '../../errors.js';
import { EmailSchema, parseWith, type EmailInput } from '../../email.js';
import type { PackageUser } from '../../package/records.js';
import { verifyContent } from '../attachments.js';
import { createTarWriter, spoolLines, withTempFolder, type Records } from '../spool.js';
import type { AttachmentSource } from '../write.js';
import { toV1Json, V1_EMAILS, V1_USERS } from './format.js';
import { loadZstd, withContentSize } from './zstd.js';

export interface V1Contents {
  emails: Records<EmailInput>;
  users?: Records<PackageUser>;
  attachments?: AttachmentSource;
}

export interface V1WriteOptions {
  /** The original's client wrote zstd level 3; `.tar.gz` (deflate level 9) is its legacy format. */
  compression?: 'gzip' | 'zstd';
  zstdLevel?: number;
  tmpDir?: string;
  created?: Date;
}

async function readAll(content: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of content) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Drops what the original dropped: empty strings, empty lists, absent values. */
function dropEmpty(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(
      ([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  );
}

/**
 * Writes a package of the original Lokole: a tar of `emails.jsonl` (attachments
 * inline as base64) and, on upload, `zzusers.jsonl`, compressed as a whole.
 * Deferred attachments cannot travel in this format and are refused.
 */
export async function writePackageV1(
  contents: V1Contents,
  destination: Writable,
  options: V1WriteOptions = {},
): Promise<number> {
  const compression = options.compression ?? 'gzip';
  const created = options.created ?? new Date();
  return withTempFolder(options.tmpDir, async (folder) => {
    const emailLines = (async function* () {
      for await (const input of contents.emails) {
        const email = parseWith(
          EmailSchema,
          input,
          `email ${JSON.stringify((input as { _uid?: unknown })._uid)}`,
        );
        const attachments = [];
        for (const attachment of email.attachments) {
          if (attachment.deferred) {
            throw new LokoleError(
              'UNSUPPORTED',
              `Email ${email._uid} has a held-back attachment (${attachment.filename}); a version 1 package cannot carry one. Fetch the file first.`,
              { reason: 'deferred-in-v1' },
            );
          }
          if (!contents.attachments)
            throw new LokoleError(
              'INVALID_INPUT',
              'The emails carry attachments but no attachment source was given.',
            );
          const found = await contents.attachments(attachment.sha256);
          const bytes =
            found instanceof Uint8Array ? Buffer.from(found) : await readAll(toBuffers(found.content));
          await readAll(
            verifyContent(
              (async function* () {
                yield bytes;
              })(),
              attachment.sha256,
              attachment.size,
            ),
          );
          attachments.push(
            dropEmpty({
              filename: attachment.filename,
              content: bytes.toString('base64'),
              cid: attachment.cid,
            }),
          );
        }
        yield toV1Json(dropEmpty({ ...email, attachments }));
      }
    })();
    const emails = await spoolLines(emailLines, (line) => line, path.join(folder, V1_EMAILS));
    const users =
      contents.users === undefined
        ? null
        : await spoolLines(
            contents.users,
            (user) => toV1Json(dropEmpty({ email: user.address, password: user.password_hash })),
            path.join(folder, V1_USERS),
          );

    if (compression === 'gzip') {
      const tar = createTarWriter(destination, created, zlib.createGzip({ level: 9 }));
      await tar.addFile(V1_EMAILS, emails);
      if (users && users.count > 0) await tar.addFile(V1_USERS, users);
      return tar.finish();
    }
    // The zstd library compresses whole buffers: stage the tar on disk, then compress it in one go.
    const zstd = await loadZstd();
    const tarFile = path.join(folder, 'package.tar');
    const tar = createTarWriter(createWriteStream(tarFile), created);
    await tar.addFile(V1_EMAILS, emails);
    if (users && users.count > 0) await tar.addFile(V1_USERS, users);
    await tar.finish();
    const tarBytes = await readFile(tarFile);
    const compressed = withContentSize(
      await zstd.compress(tarBytes, options.zstdLevel ?? 3),
      tarBytes.length,
    );
    await new Promise<void>((resolve, reject) =>
      destination.end(compressed, () => resolve()).once('error', reject),
    );
    return compressed.length;
  });
}

async function* toBuffers(content: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const chunk of content) yield Buffer.from(chunk);
}
