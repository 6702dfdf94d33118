import { ReadlineParser, SerialPort, type SerialPortMock } from 'serialport';
import { LokoleError } from '@lokole/protocol';
import type { AtTransport } from '../modem/index.js';

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  /** How long opening may take; a USB stick that is resetting can hang the open. */
  openTimeoutMs?: number;
  /**
   * serialport's mock binding (wrapped with the fake modem) in tests; the native one otherwise.
   * Typed through serialport's mock because @serialport/bindings-interface ships no ESM types.
   */
  binding?: Pick<(typeof SerialPortMock)['binding'], 'open' | 'list'>;
}

function openError(path: string, error: Error): LokoleError {
  const text = error.message;
  if (/No such file or directory|ENOENT/i.test(text)) {
    return new LokoleError(
      'UNAVAILABLE',
      `No modem answers on ${path}: the stick may be unplugged, still in storage mode, or in HiLink mode. Open Modem diagnostics to see which.`,
      { reason: 'port-missing', cause: error },
    );
  }
  if (/Cannot lock port|Resource temporarily unavailable|locked/i.test(text)) {
    return new LokoleError(
      'UNAVAILABLE',
      `${path} is in use by another program (a dial, or ModemManager): wait for the sync to finish; if nothing is syncing, check that ModemManager is not installed.`,
      { reason: 'port-busy', cause: error },
    );
  }
  if (/Permission denied|EACCES/i.test(text)) {
    return new LokoleError(
      'UNAVAILABLE',
      `Lokole may not open ${path}: the lokole user must be in the dialout group (re-run the image's setup, or add it with usermod -aG dialout lokole).`,
      { reason: 'port-denied', cause: error },
    );
  }
  return new LokoleError('UNAVAILABLE', `Could not open the modem port ${path}: ${text}.`, {
    reason: 'port-open-failed',
    cause: error,
  });
}

/**
 * The serialport edge: opens an AT port and turns it into lines. Control lines (DTR, RTS) are
 * never touched, since pseudo-terminals refuse those ioctls and the AT port does not need them.
 */
export async function openSerialTransport(options: SerialTransportOptions): Promise<AtTransport> {
  const { path } = options;
  // SerialPort spreads its options over the native binding it detected, so a test binding replaces it.
  const portOptions = {
    path,
    baudRate: options.baudRate ?? 115200,
    autoOpen: false,
    lock: true,
    ...(options.binding ? { binding: options.binding } : {}),
  } as ConstructorParameters<typeof SerialPort>[0];
  const port = new SerialPort(portOptions);
  const timeoutMs = options.openTimeoutMs ?? 5000;

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new LokoleError(
          'UNAVAILABLE',
          `Opening ${path} took more than ${timeoutMs / 1000} s: unplug the stick, wait 10 seconds and plug it back in.`,
          { reason: 'port-open-timeout' },
        ),
      );
    }, timeoutMs);
    port.open((error) => {
      clearTimeout(timer);
      if (error) reject(openError(path, error));
      else resolve();
    });
  });

  const parser = port.pipe(
    new ReadlineParser({ delimiter: '\r\n', encoding: 'latin1', includeDelimiter: false }),
  );
  const lineListeners = new Set<(line: string) => void>();
  const closeListeners = new Set<(error: Error | undefined) => void>();
  let closed = false;

  parser.on('data', (line: string) => {
    for (const listener of lineListeners) listener(line);
  });
  const notifyClose = (error: Error | undefined) => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener(error);
  };
  // The native binding closes the port with a `disconnected` error when the device vanishes.
  port.on('close', (error: Error | null | undefined) => notifyClose(error ?? undefined));
  port.on('error', (error: Error) => notifyClose(error));

  const callback = (resolve: () => void, reject: (error: Error) => void) => (error?: Error | null) =>
    error ? reject(error) : resolve();

  return {
    path,
    write(data) {
      return new Promise<void>((resolve, reject) => {
        if (closed) {
          reject(new Error(`${path} is closed`));
          return;
        }
        port.write(Buffer.from(data, 'latin1'), (error) => {
          if (error) reject(error);
          else port.drain(callback(resolve, reject));
        });
      });
    },
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    flush() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve, reject) => port.flush(callback(resolve, reject)));
    },
    async close() {
      if (!port.isOpen) return;
      closed = true;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
