import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  readonly from: string;
  readonly to: string[];
  readonly raw: Buffer;
}

/**
 * A real SMTP server standing in for the internet (the relay the cloud sends through).
 * `reply` decides the answer to each message: undefined accepts; a code refuses it.
 */
export async function startSmtpSink(): Promise<{
  url: string;
  port: number;
  messages: SunkMessage[];
  reply: { code?: number; message?: string };
  close(): Promise<void>;
}> {
  const messages: SunkMessage[] = [];
  const reply: { code?: number; message?: string } = {};
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      buffer(stream).then((raw) => {
        if (reply.code) {
          callback(Object.assign(new Error(reply.message ?? 'refused'), { responseCode: reply.code }));
          return;
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      }, callback);
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    reply,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
