import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { isLokoleError } from '@lokole/protocol';
import type { Inbound } from '../mail/index.js';

export interface SmtpListener {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The cloud's MX: takes mail only for registered device domains and service mailboxes (550
 * otherwise), refuses messages over the size limit (552), and answers 250 only once the raw
 * message is stored and its parsing queued. No AUTH: this is an inbound MX, not a relay.
 */
export function createSmtpListener(deps: {
  inbound: Inbound;
  maxMessageBytes: number;
  hostname: string;
  log: Logger;
}): SmtpListener {
  const { inbound, maxMessageBytes, log } = deps;

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const body = new PassThrough();
    stream.pipe(body);
    try {
      const mailFrom = session.envelope.mailFrom;
      const { sha256 } = await inbound.receive(body, {
        source: 'smtp',
        envelope: {
          from: mailFrom && mailFrom.address ? mailFrom.address : null,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        },
      });
      if (stream.sizeExceeded) throw smtpError('Message too large', 552);
      return sha256;
    } catch (error) {
      // Read what the client still sends, so the answer comes after DATA as SMTP requires.
      stream.unpipe(body);
      if (!stream.readableEnded) {
        stream.resume();
        await once(stream, 'end');
      }
      if (stream.sizeExceeded || isLokoleError(error, 'TOO_LARGE')) {
        throw smtpError(`Message exceeds the limit of ${maxMessageBytes} bytes`, 552);
      }
      log.error({ err: error }, 'could not store an inbound message');
      throw smtpError('Could not store the message; try again later', 451);
    }
  }

  const server = new SMTPServer({
    name: deps.hostname,
    banner: 'Lokole cloud',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    logger: false,
    closeTimeout: 2000,
    onRcptTo(address, _session, callback) {
      inbound.acceptsRecipient(address.address).then(
        (accepted) =>
          accepted ? callback() : callback(smtpError(`No such mailbox here: ${address.address}`, 550)),
        (error: unknown) => {
          log.error({ err: error }, 'could not check a recipient');
          callback(smtpError('Temporary failure; try again later', 451));
        },
      );
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        (sha256) => callback(null, `Stored as ${sha256.slice(0, 16)}`),
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'smtp connection error'));

  return {
    async listen(port, host) {
      server.listen(port, host);
      await once(server.server, 'listening');
      return (server.server.address() as AddressInfo).port;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
