import type { Email } from '../email.js';
import type { Manifest } from './manifest.js';
import type { AttachmentRequest, DeliveryReport, PackageUser } from './records.js';

export interface PackageInfo {
  version: 1 | 2;
  /** How the package is compressed: per text member in version 2, as a whole in version 1. */
  compression: 'br' | 'gzip' | 'zstd' | 'none';
  /** Version 2 only; a version 1 package has no manifest. */
  manifest?: Manifest;
}

export interface AttachmentItem {
  type: 'attachment';
  sha256: string;
  size: number;
  /** The bytes. The stream fails at its end if they do not hash to `sha256`. */
  content: AsyncIterable<Buffer>;
}

/**
 * What a package reader yields, in package order: `info` first, then emails,
 * records and attachments. An attachment may come before or after the emails
 * that name it; the reader checks at the end that every one named came.
 */
export type PackageItem =
  | { type: 'info'; info: PackageInfo }
  | { type: 'email'; email: Email }
  | { type: 'user'; user: PackageUser }
  | { type: 'report'; report: DeliveryReport }
  | { type: 'request'; request: AttachmentRequest }
  | AttachmentItem;
