import * as v from 'valibot';

export const PACKAGE_FORMAT = 'lokole';
export const MANIFEST_NAME = 'manifest.json';
export const MAX_MANIFEST_BYTES = 64 * 1024;

export type PackageKind = 'upload' | 'download';
export type Compression = 'br' | 'gzip';

/** Member names carry the codec's file extension: `emails.jsonl.br`. */
export const EXTENSION: Record<Compression, string> = { br: 'br', gzip: 'gz' };

export const TEXT_MEMBERS = ['emails', 'users', 'reports', 'requests'] as const;
export type TextMember = (typeof TEXT_MEMBERS)[number];

const count = v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0);

export const ManifestSchema = v.object({
  format: v.literal(PACKAGE_FORMAT),
  version: v.literal(2),
  kind: v.picklist(['upload', 'download']),
  device: v.pipe(v.string(), v.minLength(1)),
  created: v.pipe(v.string(), v.isoTimestamp()),
  counts: v.object({ emails: count, users: count, reports: count, requests: count, attachments: count }),
  compression: v.picklist(['br', 'gzip']),
});

export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type PackageCounts = Manifest['counts'];

export function memberName(member: TextMember, compression: Compression): string {
  return `${member}.jsonl.${EXTENSION[compression]}`;
}

export function attachmentMemberName(sha256: string): string {
  return `attachments/${sha256}`;
}
