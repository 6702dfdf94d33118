export { readPackage, type ReadOptions } from './read.js';
export { validatePackage, type PackageSummary, type SeenItem } from './validate.js';
export {
  writePackage,
  attachmentsFromMap,
  type AttachmentBytes,
  type AttachmentSource,
  type PackageContents,
  type WriteOptions,
  type WriteSummary,
} from './write.js';
export { writePackageV1, type V1Contents, type V1WriteOptions } from './v1/write.js';
export { convertPackage, type ConvertOptions } from './convert.js';
export { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits.js';
export type { PackageInfo, PackageItem, AttachmentItem } from './items.js';
export type { Manifest, PackageKind, Compression, PackageCounts } from './manifest.js';
export type { PackageUser, DeliveryReport, AttachmentRequest } from './records.js';
export { sha256Hex } from './attachments.js';
export { guessMediaType } from './media-types.js';
