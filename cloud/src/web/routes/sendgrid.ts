import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import * as v from 'valibot';
import { LokoleError } from '@lokole/protocol';
import type { DeviceService } from '../../devices/index.js';
import type { Inbound } from '../../mail/index.js';
import { defineRoute, type AnyRoute } from '../api.js';

interface InboundParse {
  email: Buffer | undefined;
  envelope: string | undefined;
}

/**
 * Reads SendGrid's multipart form. Fields are decoded as latin1 so that `Buffer.from(value,
 * 'latin1')` gives back the exact bytes of 8-bit mail (stack notes §3.3; multer corrupts them).
 */
function readForm(req: Request, maxBytes: number): Promise<InboundParse> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defCharset: 'latin1',
        defParamCharset: 'latin1',
        limits: { fieldSize: maxBytes + 1, fileSize: maxBytes + 1, fields: 50, files: 5 },
      });
    } catch (error) {
      reject(
        new LokoleError('INVALID_INPUT', `Expected a multipart/form-data body: ${String(error)}`, {
          cause: error,
        }),
      );
      return;
    }
    const result: InboundParse = { email: undefined, envelope: undefined };
    let tooLarge = false;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) tooLarge = true;
      if (name === 'email') result.email = Buffer.from(value, 'latin1');
      if (name === 'envelope') result.envelope = value;
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
      });
      stream.on('end', () => {
        if (name === 'email') result.email = Buffer.concat(chunks);
      });
    });
    parser.on('error', (error) =>
      reject(
        new LokoleError('INVALID_INPUT', `The form could not be read: ${String(error)}`, { cause: error }),
      ),
    );
    parser.on('close', () => {
      if (tooLarge) {
        reject(
          new LokoleError('TOO_LARGE', `The message is larger than the limit of ${maxBytes} bytes.`, {
            reason: 'message-too-large',
          }),
        );
      } else resolve(result);
    });
    req.pipe(parser);
  });
}

function envelopeOf(raw: string | undefined): { from: string | null; to: string[] } {
  if (!raw) return { from: null, to: [] };
  try {
    const parsed = JSON.parse(raw) as { from?: unknown; to?: unknown };
    return {
      from: typeof parsed.from === 'string' ? parsed.from : null,
      to: Array.isArray(parsed.to)
        ? parsed.to.filter((item): item is string => typeof item === 'string')
        : [],
    };
  } catch {
    return { from: null, to: [] };
  }
}

const ClientParams = v.object({ client_id: v.pipe(v.string(), v.uuid('must be a device id (a UUID)')) });

/** SendGrid Inbound Parse in raw mode, at the original path. SendGrid retries 5xx for 3 days. */
export function sendgridRoutes(deps: {
  devices: DeviceService;
  inbound: Inbound;
  maxMessageBytes: number;
}): AnyRoute[] {
  return [
    defineRoute<v.InferOutput<typeof ClientParams>, unknown>({
      method: 'post',
      path: '/api/email/sendgrid/{client_id}',
      operationId: 'sendgridInboundParse',
      summary: 'SendGrid Inbound Parse webhook (raw mode); `client_id` is a device id',
      tag: 'mail',
      access: 'public',
      params: ClientParams,
      rawBody: {
        contentType: 'multipart/form-data',
        schema: {
          type: 'object',
          required: ['email'],
          properties: {
            email: { type: 'string', description: 'The raw MIME message' },
            envelope: { type: 'string', description: 'JSON: {"from": "...", "to": ["..."]}' },
          },
        },
      },
      responses: {
        200: {
          description: 'Stored; parsing is queued',
          schema: v.object({ id: v.string(), sha256: v.string() }),
        },
        400: { description: 'No `email` field, or not a form' },
        403: { description: 'Unknown client id' },
        413: { description: 'Over the size limit' },
      },
      handle: async ({ params, req }) => {
        if (!(await deps.devices.find(params.client_id))) {
          throw new LokoleError('FORBIDDEN', `No device has the client id "${params.client_id}".`, {
            reason: 'unknown-client',
          });
        }
        const form = await readForm(req, deps.maxMessageBytes);
        if (!form.email || form.email.length === 0) {
          throw new LokoleError(
            'INVALID_INPUT',
            'The form has no "email" field; set the parse webhook to raw mode.',
            {
              reason: 'missing-email',
            },
          );
        }
        const { id, sha256 } = await deps.inbound.receive(Readable.from([form.email]), {
          source: 'sendgrid',
          envelope: envelopeOf(form.envelope),
        });
        return { status: 200, body: { id, sha256 } };
      },
    }),
  ];
}
