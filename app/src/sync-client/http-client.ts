import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { LokoleError, type ErrorCode } from '@lokole/protocol';
import type { CloudApi, SyncBody, SyncOffer } from '../sync/ports.js';

export interface HttpClientOptions {
  /** `https://cloud.lokole.ca` */
  url: string;
  token: string;
  /** Per request, until the answer's headers (a 3G link is slow, not dead). */
  timeoutMs?: number;
  /** Extra TLS options (a test CA). */
  ca?: string | Buffer;
}

type Agent = http.Agent & { sockets_: Set<Socket> };

/**
 * The device's one connection to the cloud: a keep-alive agent with a single socket, so the
 * whole sync rides one TCP (and TLS) connection, and byte counts read from the sockets
 * themselves (bytesRead/bytesWritten): what the community pays for.
 */
export function createHttpClient(options: HttpClientOptions): CloudApi {
  const base = new URL(options.url);
  const isHttps = base.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const seen = new Set<Socket>();
  let closedUp = 0;
  let closedDown = 0;
  const agentOptions = { keepAlive: true, maxSockets: 1, ...(options.ca ? { ca: options.ca } : {}) };
  const agent = (isHttps ? new https.Agent(agentOptions) : new http.Agent(agentOptions)) as Agent;
  const track = (socket: Socket) => {
    if (seen.has(socket)) return;
    seen.add(socket);
    socket.once('close', () => {
      closedUp += socket.bytesWritten;
      closedDown += socket.bytesRead;
      seen.delete(socket);
    });
  };

  /** The connection dropped while an answer was arriving: as retryable as no answer at all. */
  function cutShort(what: string, error: unknown): LokoleError {
    if (error instanceof LokoleError) return error;
    return new LokoleError(
      'UNAVAILABLE',
      `The connection to the cloud at ${base.origin} dropped during ${what}: ${(error as Error).message}. The next sync resumes where this one stopped.`,
      { reason: 'network', cause: error },
    );
  }

  function request(
    method: string,
    path: string,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, base);
      const req = (isHttps ? https : http).request(url, {
        method,
        agent,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...headers,
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.on('socket', track);
      req.on('response', resolve);
      req.on('error', (error) =>
        reject(
          new LokoleError(
            'UNAVAILABLE',
            `The cloud at ${base.origin} did not answer ${method} ${url.pathname}: ${error.message}. The next sync resumes where this one stopped.`,
            { reason: 'network', cause: error },
          ),
        ),
      );
      req.end(body);
    });
  }

  async function failure(res: http.IncomingMessage, what: string): Promise<LokoleError> {
    const text = (await buffer(res).catch(() => Buffer.alloc(0))).toString('utf8');
    let code: ErrorCode = res.statusCode && res.statusCode >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT';
    let message = text.slice(0, 300);
    let reason: string | undefined;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: ErrorCode; message?: string; reason?: string } };
      if (parsed.error?.code && parsed.error.code !== ('INTERNAL' as ErrorCode)) code = parsed.error.code;
      message = parsed.error?.message ?? message;
      reason = parsed.error?.reason;
    } catch {
      // not JSON: a proxy's page; the status says enough
    }
    return new LokoleError(code, `${what}: the cloud answered ${res.statusCode}: ${message}`, {
      reason: reason ?? `http-${res.statusCode}`,
    });
  }

  async function json<T>(method: string, path: string, payload: unknown, what: string): Promise<T> {
    const res = await request(method, path, Buffer.from(JSON.stringify(payload)), {
      'content-type': 'application/json',
    });
    if (res.statusCode !== 200) throw await failure(res, what);
    const text = await buffer(res).then(
      (bytes) => bytes.toString('utf8'),
      (error: unknown) => {
        throw cutShort(`${method} ${path}`, error);
      },
    );
    return JSON.parse(text) as T;
  }

  return {
    begin: (body: SyncBody) => json<SyncOffer>('POST', '/api/v2/sync', body, 'Starting the sync'),
    async putBlock(id, n, data) {
      const res = await request('PUT', `/api/v2/packages/${id}/blocks/${n}`, data, {
        'content-type': 'application/octet-stream',
      });
      if (res.statusCode !== 204) throw await failure(res, `Uploading block ${n}`);
      res.resume();
    },
    async commit(id) {
      await json('POST', `/api/v2/packages/${id}/commit`, {}, 'Committing the upload');
    },
    async download(id, from) {
      const res = await request(
        'GET',
        `/api/v2/packages/${id}`,
        undefined,
        from > 0 ? { range: `bytes=${from}-` } : {},
      );
      if (res.statusCode !== 200 && res.statusCode !== 206) throw await failure(res, 'Downloading');
      if (from > 0 && res.statusCode !== 206) {
        res.resume();
        throw new LokoleError(
          'UNAVAILABLE',
          'The cloud ignored the Range header; the download starts over next time.',
          {
            reason: 'no-range',
          },
        );
      }
      return Readable.from(
        (async function* () {
          try {
            for await (const chunk of res) yield chunk as Buffer;
          } catch (error) {
            throw cutShort(`the download of ${id}`, error);
          }
        })(),
      );
    },
    async ack(id) {
      const res = await request('POST', `/api/v2/packages/${id}/ack`, Buffer.from('{}'), {
        'content-type': 'application/json',
      });
      if (res.statusCode === 204) {
        res.resume();
        return;
      }
      const error = await failure(res, 'Acknowledging the download');
      if (error.reason === 'already-acknowledged') return;
      throw error;
    },
    bytes() {
      let up = closedUp;
      let down = closedDown;
      for (const socket of seen) {
        up += socket.bytesWritten;
        down += socket.bytesRead;
      }
      return { up, down };
    },
    close() {
      agent.destroy();
    },
  };
}
