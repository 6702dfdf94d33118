import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LokoleError } from '../errors.js';
import type { PackageInfo } from './items.js';
import type { PackageKind } from './manifest.js';
import { readPackage, type ReadOptions } from './read.js';
import { readLines, type ByteSource } from './streams.js';
import { withTempFolder } from './spool.js';
import type { AttachmentSource } from './write.js';
import { writePackage } from './write.js';
import { writePackageV1 } from './v1/write.js';

export interface ConvertOptions extends ReadOptions {
  to: 1 | 2;
  /** For a version 1 source, which has no manifest: default `upload` when it carries users, else `download`. */
  kind?: PackageKind;
  /** For a version 1 source: the device id to put in the manifest. */
  device?: string;
  /** Version 1 output compression; default gzip. */
  v1Compression?: 'gzip' | 'zstd';
}

/** Re-reads a staged JSONL file of records the reader already validated. */
async function* records<T>(file: string): AsyncGenerator<T> {
  for await (const line of readLines(createReadStream(file), Number.MAX_SAFE_INTEGER, file))
    yield JSON.parse(line.text) as T;
}

/**
 * Converts a package between versions 1 and 2. The source is fully read and
 * checked (and staged on disk) before the first byte of output is written.
 */
export async function convertPackage(
  source: ByteSource,
  destination: Writable,
  options: ConvertOptions,
): Promise<number> {
  return withTempFolder(options.tmpDir, async (folder) => {
    let info: PackageInfo | undefined;
    const carried: string[] = [];
    const named = new Set<string>();
    const staged = {
      emails: path.join(folder, 'emails'),
      users: path.join(folder, 'users'),
      reports: path.join(folder, 'reports'),
      requests: path.join(folder, 'requests'),
    };
    const files = {
      emails: createWriteStream(staged.emails),
      users: createWriteStream(staged.users),
      reports: createWriteStream(staged.reports),
      requests: createWriteStream(staged.requests),
    };
    const counts = { emails: 0, users: 0, reports: 0, requests: 0 };
    const write = async (key: keyof typeof files, record: unknown) => {
      counts[key] += 1;
      if (!files[key].write(`${JSON.stringify(record)}\n`)) await once(files[key], 'drain');
    };
    for await (const item of readPackage(source, options)) {
      if (item.type === 'info') info = item.info;
      else if (item.type === 'email') {
        for (const attachment of item.email.attachments) named.add(attachment.sha256);
        await write('emails', item.email);
      } else if (item.type === 'user') await write('users', item.user);
      else if (item.type === 'report') await write('reports', item.report);
      else if (item.type === 'request') await write('requests', item.request);
      else {
        carried.push(item.sha256);
        await pipeline(item.content, createWriteStream(path.join(folder, item.sha256)));
      }
    }
    await Promise.all(Object.values(files).map((file) => new Promise((resolve) => file.end(resolve))));

    const attachments: AttachmentSource = async (sha256) => {
      const file = path.join(folder, sha256);
      return { size: (await stat(file)).size, content: createReadStream(file) };
    };
    if (options.to === 1) {
      const unnamed = carried.filter((sha256) => !named.has(sha256)).length;
      if (counts.reports > 0 || counts.requests > 0 || unnamed > 0) {
        throw new LokoleError(
          'UNSUPPORTED',
          'The package carries delivery reports, attachment requests or files that no email names, which version 1 cannot hold.',
          {
            reason: 'not-in-v1',
          },
        );
      }
      return writePackageV1(
        { emails: records(staged.emails), users: records(staged.users), attachments },
        destination,
        { compression: options.v1Compression ?? 'gzip', tmpDir: folder },
      );
    }
    const manifest = info?.manifest;
    const summary = await writePackage(
      {
        kind: options.kind ?? manifest?.kind ?? (counts.users > 0 ? 'upload' : 'download'),
        device: options.device ?? manifest?.device ?? 'unknown',
        ...(manifest ? { created: new Date(manifest.created) } : {}),
        emails: records(staged.emails),
        users: counts.users > 0 ? records(staged.users) : undefined,
        reports: counts.reports > 0 ? records(staged.reports) : undefined,
        requests: counts.requests > 0 ? records(staged.requests) : undefined,
        attachments,
        extraAttachments: carried,
      },
      destination,
      { compression: manifest?.compression ?? 'br', tmpDir: folder },
    );
    return summary.bytes;
  });
}
