import { spawn, spawnSync } from 'node:child_process';
import { Duplex } from 'node:stream';
import { LokoleError } from '../../errors.js';

export interface Zstd {
  compress(buffer: Buffer, level?: number): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * Node 20 has no zstd. `@mongodb-js/zstd` ships prebuilt binaries for x64 and
 * arm64 Linux but none for 32-bit ARM, so it is optional and loaded on use.
 */
export async function loadZstd(): Promise<Zstd> {
  try {
    const module = (await import('@mongodb-js/zstd')) as unknown as Zstd & { default?: Zstd };
    return typeof module.decompress === 'function' ? module : module.default!;
  } catch (error) {
    throw new LokoleError(
      'UNSUPPORTED',
      `zstd is not available on this platform (${process.platform}-${process.arch}): the optional package @mongodb-js/zstd did not install. Convert the package to .tar.gz on another machine, or use version 2.`,
      { reason: 'zstd-unavailable', cause: error },
    );
  }
}

// Frame header layout: RFC 8878, section 3.1.1.1.
const FCS_FIELD_SIZE = [0, 2, 4, 8] as const;
const DICTIONARY_ID_SIZE = [0, 1, 2, 4] as const;

function frameHeader(frame: Buffer): { sizeFlag: number; singleSegment: boolean; fcsOffset: number } | null {
  const descriptor = frame[4];
  if (descriptor === undefined) return null;
  const singleSegment = ((descriptor >> 5) & 1) === 1;
  return {
    sizeFlag: descriptor >> 6,
    singleSegment,
    fcsOffset: 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_SIZE[descriptor & 3]!,
  };
}

/** Frame_Content_Size of the first zstd frame, or null when the frame omits it. */
export function zstdContentSize(frame: Buffer): number | null {
  const header = frameHeader(frame);
  if (!header) return null;
  const size = header.sizeFlag === 0 ? (header.singleSegment ? 1 : 0) : FCS_FIELD_SIZE[header.sizeFlag]!;
  if (size === 0 || frame.length < header.fcsOffset + size) return null;
  const at = header.fcsOffset;
  if (size === 1) return frame.readUInt8(at);
  if (size === 2) return frame.readUInt16LE(at) + 256;
  if (size === 4) return frame.readUInt32LE(at);
  return Number(frame.readBigUInt64LE(at));
}

/**
 * The zstd library streams its output and so leaves the content size out of
 * the frame header. Readers (ours included) need it to refuse a bomb before
 * inflating, so it is written in: an 8-byte Frame_Content_Size field.
 */
export function withContentSize(frame: Buffer, contentSize: number): Buffer {
  const header = frameHeader(frame);
  if (!header || zstdContentSize(frame) !== null || header.singleSegment) return frame;
  const field = Buffer.alloc(8);
  field.writeBigUInt64LE(BigInt(contentSize));
  const patched = Buffer.concat([
    frame.subarray(0, header.fcsOffset),
    field,
    frame.subarray(header.fcsOffset),
  ]);
  patched[4] = frame[4]! | 0xc0;
  return patched;
}

let hasZstdTool: boolean | undefined;

/**
 * Streams through the `zstd` command (Debian package zstd): for frames that
 * do not state their size, which the in-process library would inflate whole.
 */
export function createZstdToolInflater(): Duplex {
  hasZstdTool ??= spawnSync('zstd', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasZstdTool) {
    throw new LokoleError(
      'UNSUPPORTED',
      'This .tar.zst package does not state its unpacked size, so it can only be read by streaming it through the zstd command, which is not installed: apt-get install zstd.',
      { reason: 'zstd-unavailable' },
    );
  }
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) duplex.destroy(new Error(`zstd exited with ${code}: ${stderr.trim()}`));
  });
  duplex.on('close', () => child.kill());
  return duplex;
}
