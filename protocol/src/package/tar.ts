import { once } from 'node:events';
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

/**
 * The members of a tar stream, one at a time. Only regular files with plain
 * relative names pass: a link, a device or a name like `../x` rejects the
 * package before anything of it is used.
 */
export async function* readTar(source: ByteSource): AsyncGenerator<TarMember> {
  const extract = tarStream.extract();
  const feeding = (async () => {
    for await (const chunk of source) {
      if (!extract.write(chunk)) await once(extract, 'drain');
    }
    endStream(extract);
  })().catch((error: unknown) => extract.destroy(error as Error));
  try {
    for await (const entry of extract) {
      const { name, type, size = 0 } = entry.header;
      if (type !== 'file') {
        throw corrupt(`The package holds ${JSON.stringify(name)} of type ${type}; only plain files are allowed.`, 'not-a-file');
      }
      if (name.startsWith('/') || name.split('/').some((part) => part === '..' || part === '')) {
        throw corrupt(`The package holds a member named ${JSON.stringify(name)}, which points outside the package.`, 'unsafe-name');
      }
      let isRead = false;
      const content = (async function* () {
        for await (const chunk of entry as AsyncIterable<Buffer>) yield chunk;
        isRead = true;
      })();
      yield { name, size, content };
      if (!isRead) for await (const _chunk of content) void _chunk;
    }
  } catch (error) {
    if (error instanceof LokoleError) throw error;
    throw corrupt(
      `The package is not a complete tar archive (${(error as Error).message}); it may have been cut short in transfer.`,
      'bad-tar',
      error,
    );
  } finally {
    extract.destroy();
    await feeding;
  }
}
