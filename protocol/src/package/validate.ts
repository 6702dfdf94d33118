import type { PackageInfo, PackageItem } from './items.js';
import { readPackage, type ReadOptions } from './read.js';
import type { ByteSource } from './streams.js';

export interface PackageSummary {
  info: PackageInfo;
  counts: { emails: number; users: number; reports: number; requests: number; attachments: number };
  attachmentBytes: number;
}

/** What `validatePackage` shows of each item: attachments by hash and size, after their bytes were checked. */
export type SeenItem =
  Exclude<PackageItem, { type: 'attachment' }> | { type: 'attachment'; sha256: string; size: number };

/**
 * Reads a whole package and keeps nothing but figures: every limit, hash and
 * record is checked. Run it on a staged file before importing when the
 * import cannot run in one transaction. `onItem` sees each valid item.
 */
export async function validatePackage(
  source: ByteSource,
  options: ReadOptions & { onItem?: (item: SeenItem) => void } = {},
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
        options.onItem?.({ type: 'attachment', sha256: item.sha256, size: item.size });
        continue;
    }
    options.onItem?.(item);
  }
  return { info: info!, counts, attachmentBytes };
}
