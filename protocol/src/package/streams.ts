import { pipeline } from 'node:stream/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { LokoleError } from '../errors.js';
import { RATIO_GRACE_BYTES, type Limits } from './limits.js';
import type { Compression } from './manifest.js';
import { createZstdToolInflater } from './v1/zstd.js';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/**
 * Counts what a package inflates to, across all its members, and stops a
 * reader as soon as a limit is passed rather than after the damage is done.
 */
export class ByteBudget {
  private total = 0;

  constructor(private readonly limits: Limits) {}

  get used(): number {
    return this.total;
  }

  spend(bytes: number, what: string): void {
    this.total += bytes;
    if (this.total > this.limits.maxTotalBytes) {
      throw new LokoleError(
        'PACKAGE_TOO_LARGE',
        `The package holds more than ${formatBytes(this.limits.maxTotalBytes)} once unpacked (reached while reading ${what}); it was rejected and nothing was imported.`,
        { reason: 'total-too-large' },
      );
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}

export function createCompressor(compression: Compression, sizeHint = 0): Transform {
  if (compression === 'gzip') return zlib.createGzip({ level: 6 });
  return zlib.createBrotliCompress({
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      // Quality 5 keeps a day's text under a second on a Pi-class CPU; 11 is ~30x slower for ~10% fewer bytes.
      [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
      ...(sizeHint > 0 ? { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: sizeHint } : {}),
    },
  });
}

/** Passes bytes through, counting them. */
class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Inflates `source`, charging every inflated byte to `budget` and refusing a
 * stream that inflates far beyond its size (a decompression bomb).
 */
export async function* inflate(
  source: ByteSource,
  compression: Compression | 'zstd',
  what: string,
  budget: ByteBudget,
  limits: Limits,
): AsyncGenerator<Buffer> {
  const counter = new Counter();
  const inflater =
    compression === 'gzip'
      ? zlib.createGunzip()
      : compression === 'br'
        ? zlib.createBrotliDecompress()
        : createZstdToolInflater();
  // Errors surface through the iteration below, so the pipeline's own rejection is not needed.
  pipeline(Readable.from(source), counter, inflater).catch(() => {});
  let inflated = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      budget.spend(chunk.length, what);
      checkRatio(inflated, counter.bytes, what, limits);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof LokoleError) throw error;
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `${what} is not valid ${compression === 'br' ? 'brotli' : compression} data (${(error as Error).message}); the package is damaged.`,
      { reason: 'bad-compression', cause: error },
    );
  } finally {
    // Not awaited: the source may only close once its reader (the tar extractor) is torn down upstream.
    inflater.destroy();
  }
}

export function checkRatio(inflated: number, compressed: number, what: string, limits: Limits): void {
  if (inflated > RATIO_GRACE_BYTES && inflated > compressed * limits.maxCompressionRatio) {
    throw new LokoleError(
      'PACKAGE_TOO_LARGE',
      `${what} inflates more than ${limits.maxCompressionRatio} times its compressed size, which only a decompression bomb does; the package was rejected.`,
      { reason: 'compression-ratio' },
    );
  }
}

/**
 * Splits a byte stream into lines without ever holding more than one line
 * (plus one chunk) in memory.
 */
export async function* readLines(
  source: AsyncIterable<Buffer>,
  maxLineBytes: number,
  what: string,
): AsyncGenerator<{ text: string; number: number }> {
  let parts: Buffer[] = [];
  let length = 0;
  let number = 0;
  const tooLong = (): LokoleError =>
    new LokoleError(
      'PACKAGE_TOO_LARGE',
      `Line ${number + 1} of ${what} is longer than ${formatBytes(maxLineBytes)}; the package was rejected.`,
      { reason: 'line-too-long' },
    );
  for await (const chunk of source) {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (length + newline - start > maxLineBytes) throw tooLong();
      parts.push(chunk.subarray(start, newline));
      const line = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      number += 1;
      parts = [];
      length = 0;
      start = newline + 1;
      if (line.length > 0) yield { text: line.toString('utf8'), number };
    }
    if (start < chunk.length) {
      length += chunk.length - start;
      if (length > maxLineBytes) throw tooLong();
      parts.push(chunk.subarray(start));
    }
  }
  if (length > 0) {
    number += 1;
    yield { text: Buffer.concat(parts).toString('utf8'), number };
  }
}

/** Parses one JSON line, naming the member and line when it is not JSON. */
export function parseJsonLine(text: string, number: number, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LokoleError(
      'PACKAGE_CORRUPT',
      `Line ${number} of ${what} is not valid JSON (${(error as Error).message}); the package is damaged.`,
      { reason: 'bad-json', cause: error },
    );
  }
}

/** tar-stream's streams are streamx streams, whose `end()` the Node typings do not describe. */
export function endStream(stream: unknown): void {
  (stream as { end(): void }).end();
}

/** The first `n` bytes of a stream, and the whole stream again for reading. */
export async function peek(
  source: ByteSource,
  n: number,
): Promise<{ head: Buffer; whole: AsyncIterable<Buffer> }> {
  const iterator = (async function* () {
    for await (const chunk of source) yield Buffer.from(chunk);
  })();
  const seen: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    length += next.value.length;
  }
  const whole = (async function* () {
    yield* seen;
    yield* iterator;
  })();
  return { head: Buffer.concat(seen).subarray(0, n), whole };
}
