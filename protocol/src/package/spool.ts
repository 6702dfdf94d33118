import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import tarStream from 'tar-stream';
import { endStream } from './streams.js';

/** A tar member needs its size before its bytes, so members are written to a temporary file first. */
export interface SpooledFile {
  file: string;
  size: number;
  count: number;
}

export type Records<T> = Iterable<T> | AsyncIterable<T>;

/** Writes one line per record (through `compressor` when given) into `file`. */
export async function spoolLines<T>(
  records: Records<T>,
  toLine: (record: T) => string,
  file: string,
  compressor?: Transform,
): Promise<SpooledFile> {
  let count = 0;
  const lines = Readable.from(
    (async function* () {
      for await (const record of records) {
        count += 1;
        yield `${toLine(record)}\n`;
      }
    })(),
  );
  await (compressor
    ? pipeline(lines, compressor, createWriteStream(file))
    : pipeline(lines, createWriteStream(file)));
  return { file, size: (await stat(file)).size, count };
}

export async function withTempFolder<T>(
  tmpDir: string | undefined,
  run: (folder: string) => Promise<T>,
): Promise<T> {
  const folder = await mkdtemp(path.join(tmpDir ?? tmpdir(), 'lokole-package-'));
  try {
    return await run(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

export interface TarWriter {
  add(name: string, size: number, content: AsyncIterable<Uint8Array> | Uint8Array): Promise<void>;
  addFile(name: string, spooled: SpooledFile): Promise<void>;
  /** Ends the archive and resolves with the bytes written once `destination` has them all. */
  finish(): Promise<number>;
}

/**
 * A tar stream into `destination`, every header identical but for name and
 * size, so the same contents always give the same bytes.
 */
export function createTarWriter(destination: Writable, mtime: Date, through?: Transform): TarWriter {
  const pack = tarStream.pack();
  const counter = new Counter();
  let failure: unknown = null;
  const producing = (through ? pipeline(pack, through, counter) : pipeline(pack, counter)).catch(
    (error: unknown) => {
      failure = error;
      // Closing without an error leaves the caller's stream quiet; the caller learns of the failure from us.
      counter.unpipe(destination);
      destination.destroy();
      throw error;
    },
  );
  counter.pipe(destination);
  const writing = Promise.all([producing, finished(destination, { readable: false })]);
  writing.catch(() => {});

  function add(name: string, size: number, content: AsyncIterable<Uint8Array> | Uint8Array): Promise<void> {
    if (failure) return Promise.reject(failure);
    const header = {
      name,
      size,
      mtime,
      mode: 0o644,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      type: 'file' as const,
    };
    if (content instanceof Uint8Array) {
      return new Promise((resolve, reject) =>
        pack.entry(header, Buffer.from(content), (error) => (error ? reject(error) : resolve())),
      );
    }
    return new Promise((resolve, reject) => {
      const entry = pack.entry(header, (error) => (error ? reject(error) : resolve()));
      // The failure is reported through the promise; the entry must not also raise it.
      entry.on('error', () => {});
      (async () => {
        for await (const chunk of content) {
          if (!entry.write(Buffer.from(chunk))) await once(entry, 'drain');
        }
        endStream(entry);
      })().catch((error: unknown) => {
        // Failing the whole archive (not just the entry) also fails `destination`, so no half package looks whole.
        pack.destroy(error as Error);
        reject(error);
      });
    });
  }

  return {
    add,
    addFile: (name, spooled) => add(name, spooled.size, createReadStream(spooled.file)),
    async finish() {
      pack.finalize();
      await writing;
      return counter.bytes;
    },
  };
}
