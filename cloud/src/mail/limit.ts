import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { LokoleError } from '@lokole/protocol';

/** A pass-through that hashes what flows and fails with TOO_LARGE past `maxBytes`. */
export class HashingLimiter extends Transform {
  readonly #hash = createHash('sha256');
  #bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.maxBytes) {
      done(
        new LokoleError('TOO_LARGE', `The message is larger than the limit of ${this.maxBytes} bytes.`, {
          reason: 'message-too-large',
        }),
      );
      return;
    }
    this.#hash.update(chunk);
    done(null, chunk);
  }

  get bytes(): number {
    return this.#bytes;
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}
