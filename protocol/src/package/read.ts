import type * as v from 'valibot';
import { LokoleError } from '../errors.js';
import { EmailSchema, parseWith } from '../email.js';
import { AttachmentLedger, verifyContent } from './attachments.js';
import type { PackageItem } from './items.js';
import { resolveLimits, type Limits } from './limits.js';
import {
  ManifestSchema,
  MANIFEST_NAME,
  MAX_MANIFEST_BYTES,
  memberName,
  TEXT_MEMBERS,
  type Manifest,
  type PackageCounts,
  type TextMember,
} from './manifest.js';
import { ReportSchema, RequestSchema, UserSchema } from './records.js';
import {
  ByteBudget,
  formatBytes,
  inflate,
  parseJsonLine,
  peek,
  readLines,
  type ByteSource,
} from './streams.js';
import { readTar, type TarMember } from './tar.js';
import { readPackageV1, type V1Compression } from './v1/read.js';

export interface ReadOptions {
  limits?: Partial<Limits>;
  /** Where a version 1 package is unpacked while it is read (it must be read twice). Default: the OS temp folder. */
  tmpDir?: string;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(head: Buffer, magic: number[]): boolean {
  return magic.every((byte, index) => head[index] === byte);
}

/**
 * Reads a Lokole package of either version, streaming: memory stays bounded
 * by one email whatever the size of the package. Every limit and every hash
 * is checked while reading; a package that fails throws a LokoleError
 * (PACKAGE_CORRUPT or PACKAGE_TOO_LARGE) before the iteration completes.
 *
 * To apply a package all-or-nothing, import the items inside one transaction
 * and commit only when the loop has finished, or run `validatePackage` first.
 */
export async function* readPackage(
  source: ByteSource,
  options: ReadOptions = {},
): AsyncGenerator<PackageItem> {
  const limits = resolveLimits(options.limits);
  const { head, whole } = await peek(source, 4);
  if (head.length === 0) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      'The package is empty (0 bytes); the transfer probably failed.',
      {
        reason: 'empty',
      },
    );
  }
  let compression: V1Compression | null = null;
  if (startsWith(head, GZIP_MAGIC)) compression = 'gzip';
  else if (startsWith(head, ZSTD_MAGIC)) compression = 'zstd';
  if (compression) {
    yield* readPackageV1(whole, compression, limits, options.tmpDir);
    return;
  }
  const members = readTar(whole);
  try {
    const first = await members.next();
    if (first.done) {
      throw new LokoleError('PACKAGE_CORRUPT', 'The package is an empty tar archive.', { reason: 'empty' });
    }
    if (first.value.name === MANIFEST_NAME) {
      yield* readVersion2(first.value, members, limits);
    } else {
      const all = (async function* () {
        yield first.value;
        yield* members;
      })();
      yield* readPackageV1(whole, 'none', limits, options.tmpDir, all);
    }
  } finally {
    await members.return(undefined);
  }
}

async function readManifest(member: TarMember): Promise<Manifest> {
  if (member.size > MAX_MANIFEST_BYTES) {
    throw new LokoleError(
      'PACKAGE_TOO_LARGE',
      `manifest.json is ${formatBytes(member.size)}; a manifest is never over 64 KiB.`,
      {
        reason: 'manifest-too-large',
      },
    );
  }
  const parts: Buffer[] = [];
  for await (const chunk of member.content) parts.push(chunk);
  const value = parseJsonLine(Buffer.concat(parts).toString('utf8'), 1, MANIFEST_NAME);
  try {
    return parseWith(ManifestSchema, value, MANIFEST_NAME);
  } catch (error) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `${(error as Error).message}. This is not a Lokole version 2 package.`,
      {
        reason: 'bad-manifest',
        cause: error,
      },
    );
  }
}

function checkDeclaredCounts(manifest: Manifest, limits: Limits): void {
  if (manifest.counts.emails > limits.maxEmails) {
    throw new LokoleError(
      'PACKAGE_TOO_LARGE',
      `The package declares ${manifest.counts.emails} emails, over the limit of ${limits.maxEmails}; it was rejected.`,
      { reason: 'too-many-emails' },
    );
  }
  if (manifest.counts.attachments > limits.maxAttachments) {
    throw new LokoleError(
      'PACKAGE_TOO_LARGE',
      `The package declares ${manifest.counts.attachments} attachments, over the limit of ${limits.maxAttachments}; it was rejected.`,
      { reason: 'too-many-attachments' },
    );
  }
}

const RECORD_SCHEMAS = {
  emails: EmailSchema,
  users: UserSchema,
  reports: ReportSchema,
  requests: RequestSchema,
} as const;

function toItem(member: TextMember, record: unknown): PackageItem {
  switch (member) {
    case 'emails':
      return { type: 'email', email: record as v.InferOutput<typeof EmailSchema> };
    case 'users':
      return { type: 'user', user: record as v.InferOutput<typeof UserSchema> };
    case 'reports':
      return { type: 'report', report: record as v.InferOutput<typeof ReportSchema> };
    case 'requests':
      return { type: 'request', request: record as v.InferOutput<typeof RequestSchema> };
  }
}

async function* readVersion2(
  manifestMember: TarMember,
  members: AsyncGenerator<TarMember>,
  limits: Limits,
): AsyncGenerator<PackageItem> {
  const manifest = await readManifest(manifestMember);
  checkDeclaredCounts(manifest, limits);
  yield { type: 'info', info: { version: 2, compression: manifest.compression, manifest } };

  const budget = new ByteBudget(limits);
  const ledger = new AttachmentLedger(limits);
  const textMembers = new Map(
    TEXT_MEMBERS.map((member) => [memberName(member, manifest.compression), member]),
  );
  const counted: PackageCounts = { emails: 0, users: 0, reports: 0, requests: 0, attachments: 0 };
  const seen = new Set<string>([MANIFEST_NAME]);

  for await (const member of members) {
    if (seen.has(member.name)) {
      throw new LokoleError('PACKAGE_CORRUPT', `The package holds ${JSON.stringify(member.name)} twice.`, {
        reason: 'duplicate-member',
      });
    }
    seen.add(member.name);
    const textMember = textMembers.get(member.name);
    if (textMember) {
      const schema = RECORD_SCHEMAS[textMember];
      const lines = readLines(
        inflate(member.content, manifest.compression, member.name, budget, limits),
        limits.maxLineBytes,
        member.name,
      );
      for await (const line of lines) {
        counted[textMember] += 1;
        if (textMember === 'emails' && counted.emails > limits.maxEmails) {
          throw new LokoleError(
            'PACKAGE_TOO_LARGE',
            `The package holds more than ${limits.maxEmails} emails; it was rejected.`,
            {
              reason: 'too-many-emails',
            },
          );
        }
        const where = `Line ${line.number} of ${member.name}`;
        const record = parseRecord(schema, parseJsonLine(line.text, line.number, member.name), where);
        const item = toItem(textMember, record);
        if (item.type === 'email') ledger.need(item.email);
        yield item;
      }
      continue;
    }
    const attachment = /^attachments\/([0-9a-f]{64})$/.exec(member.name);
    if (!attachment) {
      throw new LokoleError(
        'PACKAGE_CORRUPT',
        `The package holds an unexpected member ${JSON.stringify(member.name)}; a ${manifest.compression} package has only manifest.json, *.jsonl.${manifest.compression === 'br' ? 'br' : 'gz'} and attachments/<sha256>.`,
        { reason: 'unexpected-member' },
      );
    }
    const sha256 = attachment[1]!;
    ledger.carry(sha256, member.size);
    budget.spend(member.size, member.name);
    counted.attachments += 1;
    yield {
      type: 'attachment',
      sha256,
      size: member.size,
      content: verifyContent(member.content, sha256, member.size),
    };
  }

  if (!seen.has(memberName('emails', manifest.compression))) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `The package has no ${memberName('emails', manifest.compression)} member.`,
      {
        reason: 'missing-member',
      },
    );
  }
  ledger.checkComplete();
  for (const key of Object.keys(counted) as (keyof PackageCounts)[]) {
    if (counted[key] !== manifest.counts[key]) {
      throw new LokoleError(
        'PACKAGE_CORRUPT',
        `The manifest promises ${manifest.counts[key]} ${key} but the package holds ${counted[key]}; it is damaged or was cut short.`,
        { reason: 'count-mismatch' },
      );
    }
  }
}

function parseRecord(schema: v.GenericSchema, value: unknown, where: string): unknown {
  try {
    return parseWith(schema, value, where);
  } catch (error) {
    throw new LokoleError('PACKAGE_CORRUPT', `${(error as Error).message}; the package was rejected.`, {
      reason: 'invalid-record',
      cause: error,
    });
  }
}
