import { createHash } from 'node:crypto';
import { LokoleError } from '../errors.js';
import type { Email } from '../email.js';
import { formatBytes } from './streams.js';
import type { Limits } from './limits.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Yields `source` unchanged, then fails if it did not hash to `sha256` or was not `size` bytes long. */
export async function* verifyContent(
  source: AsyncIterable<Buffer>,
  sha256: string,
  size: number,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    length += chunk.length;
    yield chunk;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256 || length !== size) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `Attachment ${sha256} does not match its name (its bytes hash to ${actual}); the package is damaged and was rejected.`,
      { reason: 'hash-mismatch' },
    );
  }
}

/**
 * Keeps track of which attachment contents a package names and which it
 * carries, so a reader can refuse a package that names bytes it lacks.
 */
export class AttachmentLedger {
  private readonly carried = new Set<string>();
  private readonly needed = new Set<string>();

  constructor(private readonly limits: Limits) {}

  get count(): number {
    return this.carried.size;
  }

  isCarried(sha256: string): boolean {
    return this.carried.has(sha256);
  }

  /** Records one attachment content; false when the package already carried it. */
  carry(sha256: string, size: number): boolean {
    if (size > this.limits.maxAttachmentBytes) {
      throw new LokoleError(
        'PACKAGE_TOO_LARGE',
        `Attachment ${sha256} is ${formatBytes(size)}, over the limit of ${formatBytes(this.limits.maxAttachmentBytes)}; the package was rejected.`,
        { reason: 'attachment-too-large' },
      );
    }
    if (this.carried.has(sha256)) return false;
    if (this.carried.size >= this.limits.maxAttachments) {
      throw new LokoleError(
        'PACKAGE_TOO_LARGE',
        `The package carries more than ${this.limits.maxAttachments} attachments; it was rejected.`,
        { reason: 'too-many-attachments' },
      );
    }
    this.carried.add(sha256);
    return true;
  }

  /** Notes the contents an email needs: its attachments, or for held-back ones their previews. */
  need(email: Email): void {
    for (const attachment of email.attachments) {
      if (!attachment.deferred) this.needed.add(attachment.sha256);
      if (attachment.preview) this.needed.add(attachment.preview);
    }
  }

  /** Throws when an email named bytes that the package does not carry. */
  checkComplete(): void {
    for (const sha256 of this.needed) {
      if (!this.carried.has(sha256)) {
        throw new LokoleError(
          'PACKAGE_CORRUPT',
          `An email names attachment ${sha256}, but the package does not carry it; the package is incomplete and was rejected.`,
          { reason: 'missing-attachment' },
        );
      }
    }
  }
}
