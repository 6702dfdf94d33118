import tarStream from 'tar-stream';
import { LokoleError } from '../errors.js';
import { endStream, type ByteSource } from './streams.js';

export interface TarMember {
  name: string;
  size: number;
  /** Read it before asking for the next member; whatever is left unread is skipped. */
  content: AsyncIterable<Buffer>;
}

function corrupt(message: string, reason: string, cause?: unknown): LokoleError {
  return new LokoleError('PACKAGE_CORRUPT', message, { reason, cause });
}

/** Waits until `stream` wants more, or is gone; leaves no listener behind either way. */
function drainOrClose(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

function asTarError(error: unknown): LokoleError {
  if (error instanceof LokoleError) return error;
  return corrupt(
    `The package is not a complete tar archive (${(error as Error).message}); it may have been cut short in transfer.`,
    'bad-tar',
    error,
  );
}

/**
 * The members of a tar stream, one at a time. Only regular files with plain
 * relative names pass: a link, a device or a name like `../x` rejects the
 * package before anything of it is used.
 */
export async function* readTar(source: ByteSource): AsyncGenerator<TarMember> {
  const extract = tarStream.extract();
  const feeding = (async () => {
    for await (const chunk of source) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainOrClose(extract);
    }
    endStream(extract);
  })().catch((error: unknown) => extract.destroy(error as Error));
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (type !== 'file') {
        throw corrupt(
          `The package holds ${JSON.stringify(name)} of type ${type}; only plain files are allowed.`,
          'not-a-file',
        );
      }
      if (name.startsWith('/') || name.split('/').some((part) => part === '..' || part === '')) {
        throw corrupt(
          `The package holds a member named ${JSON.stringify(name)}, which points outside the package.`,
          'unsafe-name',
        );
      }
      let isRead = false;
      const content = (async function* () {
        try {
          for await (const chunk of entry as AsyncIterable<Buffer>) yield chunk;
        } catch (error) {
          throw asTarError(error);
        }
        isRead = true;
      })();
      yield { name, size, content };
      if (!isRead) for await (const _chunk of content) void _chunk;
    }
  } catch (error) {
    throw asTarError(error);
  } finally {
    extract.destroy();
    await feeding;
  }
}
