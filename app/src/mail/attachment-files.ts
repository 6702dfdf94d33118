import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LokoleError } from '@lokole/protocol';

/** Attachment bytes, stored once per content under `<dir>/ab/cdef…` (the SHA-256 in hex). */
export interface AttachmentFiles {
  /** Moves a finished temp file into the store (or drops it when the content is there already). */
  putFile(tempPath: string): Promise<{ sha256: string; size: number }>;
  putBuffer(bytes: Buffer, expectedSha256?: string): Promise<{ sha256: string; size: number }>;
  pathFor(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  /** A fresh temp file name on the same disk, so the final rename is atomic. */
  tempPath(): string;
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export function createAttachmentFiles(dir: string): AttachmentFiles {
  const tempDir = path.join(dir, 'tmp');
  const pathFor = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new LokoleError('INVALID_INPUT', `"${sha256}" is not a SHA-256 digest.`);
    return path.join(dir, sha256.slice(0, 2), sha256.slice(2));
  };
  const has = (sha256: string) =>
    access(pathFor(sha256)).then(
      () => true,
      () => false,
    );

  // Temp file → fsync → rename: a power cut leaves either the whole file or none.
  async function place(tempPath: string, sha256: string): Promise<void> {
    const target = pathFor(sha256);
    if (await has(sha256)) {
      await rm(tempPath, { force: true });
      return;
    }
    const handle = await open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tempPath, target);
  }

  return {
    pathFor,
    has,
    tempPath: () => path.join(tempDir, randomUUID()),

    async putFile(tempPath) {
      const { sha256, size } = await hashFile(tempPath);
      await place(tempPath, sha256);
      return { sha256, size };
    },

    async putBuffer(bytes, expectedSha256) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (expectedSha256 && expectedSha256 !== sha256) {
        throw new LokoleError(
          'PACKAGE_CORRUPT',
          `Attachment bytes hash to ${sha256}, not ${expectedSha256}.`,
          {
            reason: 'hash-mismatch',
          },
        );
      }
      if (await has(sha256)) return { sha256, size: bytes.length };
      await mkdir(tempDir, { recursive: true });
      const temp = path.join(tempDir, randomUUID());
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(bytes);
      } finally {
        await handle.close();
      }
      await place(temp, sha256);
      return { sha256, size: (await stat(pathFor(sha256))).size };
    },
  };
}
