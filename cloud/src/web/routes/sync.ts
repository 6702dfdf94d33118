import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import * as v from 'valibot';
import { LokoleError } from '@lokole/protocol';
import { BLOCK_SIZE, type SyncService } from '../../sync/index.js';
import { defineRoute, type AnyRoute } from '../api.js';

const SHA256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'));
const PackageParams = v.object({ id: v.pipe(v.string(), v.uuid('must be a package id (a UUID)')) });
const BlockParams = v.object({
  id: v.pipe(v.string(), v.uuid('must be a package id (a UUID)')),
  n: v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'must be a block number'), v.transform(Number)),
});

const SyncBody = v.strictObject({
  upload: v.optional(
    v.strictObject({
      size: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 31)),
      sha256: SHA256,
      emails: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
  ack: v.optional(v.pipe(v.array(v.pipe(v.string(), v.uuid('must be a package id'))), v.maxLength(20))),
  accept: v.optional(v.array(v.picklist(['br', 'gzip']))),
  max_attachment_bytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const SyncAnswerSchema = v.object({
  time: v.pipe(v.string(), v.description('the cloud clock (ISO 8601): the device corrects its own')),
  upload: v.nullable(
    v.object({
      id: v.string(),
      state: v.picklist(['open', 'committed']),
      block_size: v.number(),
      received: v.array(v.number()),
      expires_at: v.nullable(v.string()),
    }),
  ),
  download: v.nullable(
    v.object({ id: v.string(), size: v.number(), sha256: v.string(), emails: v.number() }),
  ),
  acked: v.array(v.string()),
});

async function readBlock(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BLOCK_SIZE) {
      throw new LokoleError('TOO_LARGE', `A block is at most ${BLOCK_SIZE} bytes.`, {
        reason: 'block-too-large',
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `bytes=N-` (the only form a resuming device sends); undefined for no Range. */
function rangeStart(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d+)-$/.exec(header.trim());
  if (!match) {
    throw new LokoleError('INVALID_INPUT', `Unsupported Range "${header}": send "bytes=N-".`, {
      reason: 'bad-range',
    });
  }
  return Number(match[1]);
}

/** The device API of protocol.md "Transfer", with the device token. */
export function syncRoutes(sync: SyncService): AnyRoute[] {
  return [
    defineRoute<unknown, v.InferOutput<typeof SyncBody>>({
      method: 'post',
      path: '/api/v2/sync',
      operationId: 'sync',
      summary:
        'Start a sync: announce an upload (size, hash), acknowledge imported downloads; answers the upload id and the blocks already received, the ready download and the cloud time',
      tag: 'sync',
      access: 'device',
      body: SyncBody,
      responses: { 200: { description: 'What to transfer', schema: SyncAnswerSchema } },
      handle: async ({ body, device }) => {
        const answer = await sync.begin(device!, {
          upload: body.upload,
          ack: body.ack,
          accept: body.accept,
          maxAttachmentBytes: body.max_attachment_bytes,
        });
        return {
          status: 200,
          body: {
            time: answer.time,
            upload: answer.upload && {
              id: answer.upload.id,
              state: answer.upload.state,
              block_size: answer.upload.blockSize,
              received: answer.upload.received,
              expires_at: answer.upload.expiresAt,
            },
            download: answer.download,
            acked: answer.acked,
          },
        };
      },
    }),
    defineRoute<v.InferOutput<typeof BlockParams>, unknown>({
      method: 'put',
      path: '/api/v2/packages/{id}/blocks/{n}',
      operationId: 'putBlock',
      summary: `Store block n of an upload (${BLOCK_SIZE} bytes, the last may be shorter); sending a block again replaces it`,
      tag: 'sync',
      access: 'device',
      params: BlockParams,
      rawBody: { contentType: 'application/octet-stream', schema: { type: 'string', format: 'binary' } },
      responses: {
        204: { description: 'Stored' },
        404: { description: 'No such upload for this device' },
        409: { description: 'The upload expired' },
      },
      handle: async ({ params, device, req }) => {
        await sync.putBlock(device!, params.id, params.n, await readBlock(req));
        return { status: 204 };
      },
    }),
    defineRoute<v.InferOutput<typeof PackageParams>, unknown>({
      method: 'post',
      path: '/api/v2/packages/{id}/commit',
      operationId: 'commitUpload',
      summary:
        'Check the whole upload (hash, package format) and store it durably; its mail is processed by a job',
      tag: 'sync',
      access: 'device',
      params: PackageParams,
      responses: {
        200: {
          description: 'Committed',
          schema: v.object({ state: v.literal('committed'), emails: v.number() }),
        },
        404: { description: 'No such upload for this device' },
        409: { description: 'Blocks missing, or the upload expired' },
        422: { description: 'The package is corrupt or does not match its hash; its blocks were dropped' },
      },
      handle: async ({ params, device }) => ({ status: 200, body: await sync.commit(device!, params.id) }),
    }),
    defineRoute<v.InferOutput<typeof PackageParams>, unknown>({
      method: 'get',
      path: '/api/v2/packages/{id}',
      operationId: 'getDownload',
      summary: 'Download a package; "Range: bytes=N-" resumes from byte N',
      tag: 'sync',
      access: 'device',
      params: PackageParams,
      responses: {
        200: { description: 'The package', contentType: 'application/x-tar' },
        206: {
          description: 'The rest of the package from the Range start',
          contentType: 'application/x-tar',
        },
        404: { description: 'No such download for this device' },
        409: { description: 'Acknowledged already' },
      },
      handle: async ({ params, device, req, res }) => {
        const start = rangeStart(req.get('range'));
        const { record, body } = await sync.openDownload(device!, params.id, start ?? 0);
        const from = Math.min(start ?? 0, record.size);
        res.status(start === undefined ? 200 : 206);
        res.set({
          'Content-Type': 'application/x-tar',
          'Content-Length': String(record.size - from),
          'Accept-Ranges': 'bytes',
          ETag: `"${record.sha256}"`,
          ...(start === undefined
            ? {}
            : { 'Content-Range': `bytes ${from}-${record.size - 1}/${record.size}` }),
        });
        await pipeline(body, res);
      },
    }),
    defineRoute<v.InferOutput<typeof PackageParams>, unknown>({
      method: 'post',
      path: '/api/v2/packages/{id}/ack',
      operationId: 'ackDownload',
      summary:
        'The device has imported this download: its mail and reports stop being pending, the package is deleted',
      tag: 'sync',
      access: 'device',
      params: PackageParams,
      responses: {
        204: { description: 'Acknowledged' },
        404: { description: 'No such download for this device' },
        409: { description: 'Acknowledged already (nothing changed)' },
      },
      handle: async ({ params, device }) => {
        await sync.ack(device!, params.id);
        return { status: 204 };
      },
    }),
  ];
}
