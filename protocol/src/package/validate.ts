import type { Email } from '../email.js';
import type { PackageInfo } from './items.js';
import { readPackage, type ReadOptions } from './read.js';
import type { ByteSource } from './streams.js';

export interface PackageSummary {
  info: PackageInfo;
  counts: { emails: number; users: number; reports: number; requests: number; attachments: number };
  attachmentBytes: number;
}

/**
 * Reads a whole package and keeps nothing but figures: every limit, hash and
 * record is checked. Run it on a staged file before importing when the
 * import cannot run in one transaction. `onEmail` sees each valid email.
 */
export async function validatePackage(
  source: ByteSource,
  options: ReadOptions & { onEmail?: (email: Email) => void } = {},
): Promise<PackageSummary> {
  let info: PackageInfo | undefined;
  const counts = { emails: 0, users: 0, reports: 0, requests: 0, attachments: 0 };
  let attachmentBytes = 0;
  for await (const item of readPackage(source, options)) {
    switch (item.type) {
      case 'info':
        info = item.info;
        break;
      case 'email':
        counts.emails += 1;
        options.onEmail?.(item.email);
        break;
      case 'user':
        counts.users += 1;
        break;
      case 'report':
        counts.reports += 1;
        break;
      case 'request':
        counts.requests += 1;
        break;
      case 'attachment':
        counts.attachments += 1;
        for await (const chunk of item.content) attachmentBytes += chunk.length;
        break;
    }
  }
  return { info: info!, counts, attachmentBytes };
}
