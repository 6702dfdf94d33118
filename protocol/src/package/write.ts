import type { Writable } from 'node:stream';
import path from 'node:path';
import { LokoleError } from '../errors.js';
import { EmailSchema, parseWith, type EmailInput } from '../email.js';
import { verifyContent } from './attachments.js';
import {
  attachmentMemberName,
  MANIFEST_NAME,
  memberName,
  PACKAGE_FORMAT,
  type Compression,
  type Manifest,
  type PackageKind,
} from './manifest.js';
import {
  ReportSchema,
  RequestSchema,
  UserSchema,
  type AttachmentRequest,
  type DeliveryReport,
  type PackageUser,
} from './records.js';
import { createCompressor } from './streams.js';
import { createTarWriter, spoolLines, withTempFolder, type Records } from './spool.js';

/** The bytes of one attachment, as the caller's store gives them. */
export type AttachmentBytes = Uint8Array | { size: number; content: AsyncIterable<Uint8Array> };
/** Looks up attachment bytes by SHA-256: the device's file store, the cloud's blobs, a Map in tests. */
export type AttachmentSource = (sha256: string) => Promise<AttachmentBytes>;

export interface PackageContents {
  kind: PackageKind;
  device: string;
  created?: Date;
  emails: Records<EmailInput>;
  users?: Records<PackageUser>;
  reports?: Records<DeliveryReport>;
  requests?: Records<AttachmentRequest>;
  /** Needed when any email carries an attachment that is not held back. */
  attachments?: AttachmentSource;
  /** Contents to carry that no email in this package names: files a device asked for. */
  extraAttachments?: Iterable<string>;
}

export interface WriteOptions {
  compression?: Compression;
  /** Where text members are staged before they go into the tar. Default: the OS temp folder. */
  tmpDir?: string;
}

export interface WriteSummary {
  manifest: Manifest;
  /** Bytes written to the destination. */
  bytes: number;
}

export function attachmentsFromMap(blobs: ReadonlyMap<string, Uint8Array>): AttachmentSource {
  return async (sha256) => {
    const bytes = blobs.get(sha256);
    if (!bytes)
      throw new LokoleError('NOT_FOUND', `Attachment ${sha256} is not in the store.`, {
        reason: 'missing-attachment',
      });
    return bytes;
  };
}

function toBytes(found: AttachmentBytes): { size: number; content: AsyncIterable<Buffer> } {
  if (found instanceof Uint8Array) {
    const buffer = Buffer.from(found);
    return {
      size: buffer.length,
      content: (async function* () {
        yield buffer;
      })(),
    };
  }
  const { size, content } = found;
  return {
    size,
    content: (async function* () {
      for await (const chunk of content) yield Buffer.from(chunk);
    })(),
  };
}

/**
 * Writes a version 2 package to `destination`. Emails are validated as they
 * are written; each distinct attachment content is written once, checked
 * against its hash on the way, so a damaged store never yields a package.
 */
export async function writePackage(
  contents: PackageContents,
  destination: Writable,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const compression = options.compression ?? 'br';
  // Whole seconds: tar headers hold no more, and the manifest must agree with them.
  const created = new Date(Math.floor((contents.created ?? new Date()).getTime() / 1000) * 1000);
  return withTempFolder(options.tmpDir, async (folder) => {
    const needed = new Map<string, number | undefined>();
    const emails = await spoolLines(
      contents.emails,
      (input) => {
        const email = parseWith(
          EmailSchema,
          input,
          `email ${JSON.stringify((input as { _uid?: unknown })._uid)}`,
        );
        for (const attachment of email.attachments) {
          if (!attachment.deferred) needed.set(attachment.sha256, attachment.size);
          if (attachment.preview && !needed.has(attachment.preview))
            needed.set(attachment.preview, undefined);
        }
        return JSON.stringify(email);
      },
      path.join(folder, 'emails'),
      createCompressor(compression),
    );
    for (const sha256 of contents.extraAttachments ?? [])
      if (!needed.has(sha256)) needed.set(sha256, undefined);
    const spool = <T>(
      name: string,
      records: Records<T> | undefined,
      schema: Parameters<typeof parseWith>[0],
    ) =>
      records === undefined
        ? null
        : spoolLines(
            records,
            (record) => JSON.stringify(parseWith(schema, record, name)),
            path.join(folder, name),
            createCompressor(compression),
          );
    const users = await spool('users', contents.users, UserSchema);
    const reports = await spool('reports', contents.reports, ReportSchema);
    const requests = await spool('requests', contents.requests, RequestSchema);

    if (needed.size > 0 && !contents.attachments) {
      throw new LokoleError(
        'INVALID_INPUT',
        'The emails carry attachments but no attachment source was given to the package writer.',
      );
    }
    const manifest: Manifest = {
      format: PACKAGE_FORMAT,
      version: 2,
      kind: contents.kind,
      device: contents.device,
      created: created.toISOString(),
      counts: {
        emails: emails.count,
        users: users?.count ?? 0,
        reports: reports?.count ?? 0,
        requests: requests?.count ?? 0,
        attachments: needed.size,
      },
      compression,
    };
    const tar = createTarWriter(destination, created);
    await tar.add(
      MANIFEST_NAME,
      Buffer.byteLength(JSON.stringify(manifest)),
      Buffer.from(JSON.stringify(manifest)),
    );
    await tar.addFile(memberName('emails', compression), emails);
    if (users) await tar.addFile(memberName('users', compression), users);
    if (reports) await tar.addFile(memberName('reports', compression), reports);
    if (requests) await tar.addFile(memberName('requests', compression), requests);
    for (const [sha256, expectedSize] of needed) {
      const { size, content } = toBytes(await contents.attachments!(sha256));
      if (expectedSize !== undefined && size !== expectedSize) {
        throw new LokoleError(
          'PACKAGE_CORRUPT',
          `Attachment ${sha256} is ${size} bytes in the store but an email says ${expectedSize}; the store or the email is damaged.`,
          { reason: 'size-mismatch' },
        );
      }
      await tar.add(attachmentMemberName(sha256), size, verifyContent(content, sha256, size));
    }
    return { manifest, bytes: await tar.finish() };
  });
}
