import * as v from 'valibot';
import { LokoleError } from './errors.js';

/**
 * The email object of protocol.md. Reading is tolerant (the original Lokole
 * drops empty fields, and its uploads carry no `sent_at`); what comes out is
 * normalised: lower-case addresses, one per entry, `sent_at` in UTC minutes.
 */

const SHA256 = /^[0-9a-f]{64}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. Mail servers are the real judges.
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
const SENT_AT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

/** `"Ana <ANA@Example.org>"` → `"ana@example.org"`. */
export function normalizeAddress(raw: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(raw);
  return (angle ? angle[1]! : raw).trim().toLowerCase();
}

/** Splits `"a@x.org, b@y.org"` so that each entry holds one address. */
function splitAddresses(raw: string): string[] {
  return raw
    .split(/[,;](?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** One address, normalised and checked. */
export const AddressSchema = v.pipe(
  v.string(),
  v.transform(normalizeAddress),
  v.check(
    (value) => ADDRESS.test(value),
    (issue) => `${JSON.stringify(issue.input)} is not an email address`,
  ),
);

const addressList = v.pipe(
  v.optional(v.nullable(v.union([v.string(), v.array(v.string())])), []),
  v.transform((value) =>
    (value === null ? [] : typeof value === 'string' ? [value] : value).flatMap(splitAddresses),
  ),
  v.array(AddressSchema),
);

/** Any date the peer may send becomes `yyyy-mm-dd HH:MM` in UTC. */
export function formatSentAt(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

const sentAt = v.pipe(
  v.string(),
  v.transform((value) => {
    if (SENT_AT.test(value)) return value;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : formatSentAt(date);
  }),
  v.check(
    (value) => SENT_AT.test(value) && !Number.isNaN(new Date(`${value.replace(' ', 'T')}:00Z`).getTime()),
    (issue) => `${JSON.stringify(issue.input)} is not a time (expected "yyyy-mm-dd HH:MM" in UTC)`,
  ),
);

const sha256 = v.pipe(
  v.string(),
  v.regex(SHA256, (issue) => `${JSON.stringify(issue.input)} is not a SHA-256 hex digest`),
);

const text = v.pipe(
  v.optional(v.nullable(v.string()), ''),
  v.transform((value) => value ?? ''),
);

export const AttachmentRefSchema = v.object({
  filename: v.pipe(v.string(), v.minLength(1, 'an attachment needs a file name')),
  cid: v.optional(v.string()),
  type: v.optional(v.string(), 'application/octet-stream'),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sha256,
  /** Held back in the cloud; the bytes come only when the device asks for them. */
  deferred: v.optional(v.boolean()),
  /** Hash of a small preview image that does travel with a deferred attachment. */
  preview: v.optional(sha256),
});

export const EmailSchema = v.object({
  _uid: v.pipe(v.string(), v.minLength(1, 'an email needs an _uid'), v.maxLength(200)),
  sent_at: v.optional(sentAt),
  to: addressList,
  cc: addressList,
  bcc: addressList,
  from: AddressSchema,
  subject: text,
  body: text,
  attachments: v.optional(v.array(AttachmentRefSchema), []),
});

export type AttachmentRef = v.InferOutput<typeof AttachmentRefSchema>;
export type Email = v.InferOutput<typeof EmailSchema>;
export type EmailInput = v.InferInput<typeof EmailSchema>;

/** Names the place of a problem: `to[1]`, `attachments[0].sha256`. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).reduce<string>(
    (path, item) =>
      typeof item.key === 'number'
        ? `${path}[${item.key}]`
        : path
          ? `${path}.${String(item.key)}`
          : String(item.key),
    '',
  );
}

/** Validates with `schema`, or throws one INVALID_INPUT error that names `where` and every bad field. */
export function parseWith<TSchema extends v.GenericSchema>(
  schema: TSchema,
  value: unknown,
  where: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const problems = result.issues.map((issue) => {
    const path = issuePath(issue);
    return path ? `field "${path}": ${issue.message}` : issue.message;
  });
  throw new LokoleError('INVALID_INPUT', `${where}: ${problems.join('; ')}`, { reason: 'invalid-field' });
}

export function parseEmail(value: unknown, where = 'email'): Email {
  return parseWith(EmailSchema, value, where);
}
