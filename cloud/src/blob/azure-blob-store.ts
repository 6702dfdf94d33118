import { Readable } from 'node:stream';
import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import { LokoleError } from '@lokole/protocol';
import type { BlobStore } from '../mail/index.js';

const SMALL_BLOB_BYTES = 1024 * 1024;

/** Azure Blob Storage (or Azurite) behind the BlobStore port: one container, keys as blob names. */
export function createAzureBlobStore(deps: { connectionString: string; container: string }): BlobStore & {
  ensureContainer(): Promise<void>;
  ping(): Promise<void>;
} {
  const service = BlobServiceClient.fromConnectionString(deps.connectionString);
  const container: ContainerClient = service.getContainerClient(deps.container);

  return {
    async ensureContainer() {
      await container.createIfNotExists();
    },
    async ping() {
      await container.getProperties({ abortSignal: AbortSignal.timeout(2000) });
    },
    async put(key, body, options = {}) {
      const blob = container.getBlockBlobClient(key);
      const headers = { blobContentType: options.contentType ?? 'application/octet-stream' };
      if (Buffer.isBuffer(body)) {
        await blob.uploadData(body, { blobHTTPHeaders: headers });
        return;
      }
      // Most mail is small: one Put Blob request. Past 1 MiB, 4 MiB blocks with two in flight,
      // so memory stays near 8 MiB whatever the size.
      const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const head: Buffer[] = [];
      let size = 0;
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          await blob.uploadData(Buffer.concat(head), { blobHTTPHeaders: headers });
          return;
        }
        head.push(next.value);
        size += next.value.length;
        if (size > SMALL_BLOB_BYTES) break;
      }
      const rest = Readable.from(
        (async function* () {
          yield* head;
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
        })(),
      );
      await blob.uploadStream(rest, 4 * 1024 * 1024, 2, { blobHTTPHeaders: headers });
    },
    async get(key, range) {
      try {
        const response = await container.getBlobClient(key).download(range?.offset ?? 0, range?.count);
        const body = response.readableStreamBody;
        if (!body) throw new Error('the download had no body');
        return body instanceof Readable ? body : Readable.from(body as AsyncIterable<Buffer>);
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) {
          throw new LokoleError('NOT_FOUND', `Blob "${key}" is missing from container "${deps.container}".`, {
            reason: 'missing-blob',
            cause: error,
          });
        }
        throw error;
      }
    },
    exists(key) {
      return container.getBlobClient(key).exists();
    },
    async delete(key) {
      await container.getBlobClient(key).deleteIfExists();
    },
  };
}

export type AzureBlobStore = ReturnType<typeof createAzureBlobStore>;
