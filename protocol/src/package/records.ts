import * as v from 'valibot';
import { AddressSchema } from '../email.js';

/** The non-email records a package may carry (protocol.md, "Package, version 2"). */

const SHA256 = /^[0-9a-f]{64}$/;

export const UserSchema = v.object({
  address: AddressSchema,
  name: v.optional(v.string()),
  created_at: v.optional(v.string()),
  /** Only when the operator turns on cloud webmail. */
  password_hash: v.optional(v.string()),
});

export const ReportSchema = v.object({
  _uid: v.pipe(v.string(), v.minLength(1)),
  status: v.picklist(['sent', 'bounced', 'deferred']),
  at: v.pipe(v.string(), v.isoTimestamp('"at" must be an ISO 8601 time')),
  detail: v.optional(v.string()),
});

export const RequestSchema = v.object({
  sha256: v.pipe(v.string(), v.regex(SHA256, 'not a SHA-256 hex digest')),
});

export type PackageUser = v.InferOutput<typeof UserSchema>;
export type DeliveryReport = v.InferOutput<typeof ReportSchema>;
export type AttachmentRequest = v.InferOutput<typeof RequestSchema>;
