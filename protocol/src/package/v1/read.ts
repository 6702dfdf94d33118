import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as v from 'valibot';
import { LokoleError } from '../../errors.js';
import { EmailSchema, parseWith, type AttachmentRef, type Email } from '../../email.js';
import { AttachmentLedger, sha256Hex } from '../attachments.js';
import type { PackageItem } from '../items.js';
import type { Limits } from '../limits.js';
import { guessMediaType } from '../media-types.js';
import { UserSchema } from '../records.js';
import {
  ByteBudget,
  checkRatio,
  formatBytes,
  inflate,
  parseJsonLine,
  peek,
  readLines,
  type ByteSource,
} from '../streams.js';
import { readTar, type TarMember } from '../tar.js';
import { loadZstd, zstdContentSize } from './zstd.js';
import { V1_ATTACHMENTS, V1_EMAILS, V1_MEMBERS, V1_USERS } from './format.js';

export type V1Compression = 'gzip' | 'zstd' | 'none';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

const InlineAttachmentSchema = v.object({
  filename: v.pipe(v.string(), v.minLength(1, 'an attachment needs a file name')),
  content: v.pipe(v.string(), v.regex(BASE64, 'content is not base64')),
  cid: v.optional(v.nullable(v.string())),
});

const V1EmailSchema = v.looseObject({
  _uid: v.string(),
  attachments: v.optional(v.nullable(v.array(InlineAttachmentSchema))),
});

const V1SharedAttachmentSchema = v.object({
  emails: v.array(v.string()),
  filename: v.pipe(v.string(), v.minLength(1)),
  content: v.pipe(v.string(), v.regex(BASE64, 'content is not base64')),
  cid: v.optional(v.nullable(v.string())),
  _uid: v.optional(v.string()),
});

const V1UserSchema = v.object({ email: v.string(), password: v.optional(v.string()) });

function corrupt(error: unknown): LokoleError {
  return new LokoleError('PACKAGE_CORRUPT', `${(error as Error).message}; the package was rejected.`, {
    reason: 'invalid-record',
    cause: error,
  });
}

/** Reads the tar members of the whole-compressed stream. */
async function* openMembers(
  source: ByteSource,
  compression: V1Compression,
  limits: Limits,
): AsyncGenerator<TarMember> {
  if (compression === 'gzip') {
    yield* readTar(inflate(source, 'gzip', 'the package', new ByteBudget(limits), limits));
  } else if (compression === 'zstd') {
    yield* readTar(inflateZstd(source, limits));
  } else {
    yield* readTar(source);
  }
}

/**
 * A frame that states its size is inflated in process, once the size is
 * checked against the limits; one that does not is streamed through the
 * zstd command so the limits apply while it inflates.
 */
async function* inflateZstd(source: ByteSource, limits: Limits): AsyncGenerator<Buffer> {
  const { head, whole } = await peek(source, 18);
  const declared = zstdContentSize(head);
  if (declared === null) {
    yield* inflate(whole, 'zstd', 'the package', new ByteBudget(limits), limits);
    return;
  }
  if (declared > limits.maxTotalBytes) {
    throw new LokoleError(
      'PACKAGE_TOO_LARGE',
      `The package unpacks to ${formatBytes(declared)}, over the limit of ${formatBytes(limits.maxTotalBytes)}; it was rejected.`,
      { reason: 'total-too-large' },
    );
  }
  const zstd = await loadZstd().catch(() => null);
  if (!zstd) {
    yield* inflate(whole, 'zstd', 'the package', new ByteBudget(limits), limits);
    return;
  }
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of whole) {
    length += chunk.length;
    parts.push(chunk);
  }
  checkRatio(declared, length, 'the package', limits);
  try {
    yield await zstd.decompress(Buffer.concat(parts));
  } catch (error) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `The package is not valid zstd data (${(error as Error).message}).`,
      {
        reason: 'bad-compression',
        cause: error,
      },
    );
  }
}

async function* linesOf(
  file: string,
  limits: Limits,
  member: string,
): AsyncGenerator<{ value: unknown; where: string }> {
  for await (const line of readLines(createReadStream(file), limits.maxEmailBytes, member)) {
    yield { value: parseJsonLine(line.text, line.number, member), where: `Line ${line.number} of ${member}` };
  }
}

function decode(content: string): Buffer {
  return Buffer.from(content, 'base64');
}

/**
 * Reads a package of the original Lokole. Its members come in name order and
 * the shared attachments (`zattachments.jsonl`) come after the emails that
 * use them, so the members are unpacked to a temporary folder first: memory
 * stays bounded by one line, disk by the package limits.
 */
export async function* readPackageV1(
  source: ByteSource,
  compression: V1Compression,
  limits: Limits,
  tmpDir: string = tmpdir(),
  members: AsyncIterable<TarMember> = openMembers(source, compression, limits),
): AsyncGenerator<PackageItem> {
  const folder = await mkdtemp(path.join(tmpDir, 'lokole-v1-'));
  try {
    const budget = new ByteBudget(limits);
    const present = new Set<string>();
    for await (const member of members) {
      const name = member.name.replace(/^\.\//, '');
      if (!(V1_MEMBERS as readonly string[]).includes(name) || present.has(name)) {
        throw new LokoleError(
          'PACKAGE_CORRUPT',
          `The package holds an unexpected member ${JSON.stringify(member.name)}; a version 1 package has only ${V1_MEMBERS.join(', ')}, each once.`,
          { reason: 'unexpected-member' },
        );
      }
      budget.spend(member.size, name);
      present.add(name);
      await pipeline(member.content, createWriteStream(path.join(folder, name)));
    }
    if (!present.has(V1_EMAILS)) {
      throw new LokoleError(
        'PACKAGE_CORRUPT',
        'The package has no emails.jsonl member; it is not a Lokole package.',
        {
          reason: 'missing-member',
        },
      );
    }
    yield { type: 'info', info: { version: 1, compression } };

    const ledger = new AttachmentLedger(limits);
    function* carry(content: Buffer): Generator<PackageItem, string> {
      const sha256 = sha256Hex(content);
      if (ledger.carry(sha256, content.length)) {
        yield {
          type: 'attachment',
          sha256,
          size: content.length,
          content: (async function* () {
            yield content;
          })(),
        };
      }
      return sha256;
    }

    const shared = new Map<string, AttachmentRef[]>();
    if (present.has(V1_ATTACHMENTS)) {
      for await (const { value, where } of linesOf(
        path.join(folder, V1_ATTACHMENTS),
        limits,
        V1_ATTACHMENTS,
      )) {
        let record: v.InferOutput<typeof V1SharedAttachmentSchema>;
        try {
          record = parseWith(V1SharedAttachmentSchema, value, where);
        } catch (error) {
          throw corrupt(error);
        }
        const content = decode(record.content);
        const sha256 = yield* carry(content);
        const ref = toRef(record.filename, record.cid, content.length, sha256);
        for (const uid of record.emails) shared.set(uid, [...(shared.get(uid) ?? []), ref]);
      }
    }

    let emails = 0;
    for await (const { value, where } of linesOf(path.join(folder, V1_EMAILS), limits, V1_EMAILS)) {
      emails += 1;
      if (emails > limits.maxEmails) {
        throw new LokoleError(
          'PACKAGE_TOO_LARGE',
          `The package holds more than ${limits.maxEmails} emails; it was rejected.`,
          {
            reason: 'too-many-emails',
          },
        );
      }
      let email: Email;
      try {
        const inline = parseWith(V1EmailSchema, value, where);
        const refs: AttachmentRef[] = [];
        for (const attachment of inline.attachments ?? []) {
          const content = decode(attachment.content);
          const sha256 = yield* carry(content);
          refs.push(toRef(attachment.filename, attachment.cid, content.length, sha256));
        }
        refs.push(...(shared.get(inline._uid) ?? []));
        email = parseWith(EmailSchema, { ...inline, attachments: refs }, where);
      } catch (error) {
        if (error instanceof LokoleError && error.code !== 'INVALID_INPUT') throw error;
        throw corrupt(error);
      }
      yield { type: 'email', email };
    }

    if (present.has(V1_USERS)) {
      for await (const { value, where } of linesOf(path.join(folder, V1_USERS), limits, V1_USERS)) {
        try {
          const user = parseWith(V1UserSchema, value, where);
          yield {
            type: 'user',
            user: parseWith(
              UserSchema,
              { address: user.email, ...(user.password ? { password_hash: user.password } : {}) },
              where,
            ),
          };
        } catch (error) {
          throw corrupt(error);
        }
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function toRef(
  filename: string,
  cid: string | null | undefined,
  size: number,
  sha256: string,
): AttachmentRef {
  return { filename, ...(cid ? { cid } : {}), type: guessMediaType(filename), size, sha256 };
}
