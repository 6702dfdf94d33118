import { LokoleError } from '@lokole/protocol';
import { parseFinal, type FinalResult } from './parsers/cme.js';
import { toLines } from './parsers/lines.js';

/**
 * The one thing the AT client needs from a serial port. `src/serial/` implements it with
 * serialport; tests implement it over serialport's mock binding with the fake modem behind it.
 */
export interface AtTransport {
  /** Device path, for messages. */
  readonly path: string;
  /** Sends raw characters; the client adds the CR that ends a command. */
  write(data: string): Promise<void>;
  /** Called with each line the modem sends (CR/LF framing removed). Returns an unsubscribe function. */
  onLine(listener: (line: string) => void): () => void;
  /** Called once when the port goes away (closed, unplugged). Returns an unsubscribe function. */
  onClose(listener: (error: Error | undefined) => void): () => void;
  /** Discards input received and not yet read. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface AtResponse {
  command: string;
  /** Info lines, in order, without echo and unsolicited results. */
  lines: string[];
  /** The final result line as sent (`OK`, `+CME ERROR: 10`). */
  final: string;
  result: FinalResult;
  ok: boolean;
}

export interface CommandOptions {
  /** Default 3 s (ModemManager's); 10 s for CPIN, CREG, CGREG and the OK of CUSD. */
  timeoutMs?: number;
  /**
   * The prefix of this command's info lines. By default taken from the command (`AT+CSQ` →
   * `+CSQ:`); `null` when the command has none, so that every tagged line counts as unsolicited.
   */
  expectPrefix?: string | null;
  signal?: AbortSignal;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AtClient {
  readonly path: string;
  /** Sends one command after every earlier one has finished; resolves on its final result. */
  command(command: string, options?: CommandOptions): Promise<AtResponse>;
  /** The next unsolicited line starting with `prefix`. Register it before sending the command that causes it. */
  waitUrc(prefix: string, options: WaitOptions): Promise<string>;
  onUrc(listener: (line: string) => void): () => void;
  /** Echo off, numeric errors, Huawei's periodic reports off. Best effort: only silence fails it. */
  initialize(): Promise<void>;
  /** Waits for quiet, flushes, then sends `AT` until a clean `OK`. Runs by itself after a timeout. */
  resync(): Promise<void>;
  close(): Promise<void>;
}

export interface AtClientLog {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AtClientOptions {
  timeoutMs?: number;
  /** Silence that means the modem has finished talking; 300 ms after the Huawei MU609 guide. */
  quietMs?: number;
  /** Upper bound on waiting for silence, for a port that chatters (the DIAG port, noise). */
  maxQuietWaitMs?: number;
  resyncAttempts?: number;
  resyncTimeoutMs?: number;
  log?: AtClientLog;
}

// Unsolicited results a Huawei PCUI port sends on its own, and the 3GPP ones that share a prefix with replies.
const KNOWN_URC = [
  '^RSSI',
  '^DSFLOWRPT',
  '^BOOT',
  '^MODE',
  '^SRVST',
  '^SIMST',
  '^HCSQ',
  '^STIN',
  '^RFSWITCH',
  '^NDISSTAT',
  '^CEND',
  '^ORIG',
  '^CONF',
  '^CONN',
  '^EARST',
  '^ACTIVEBAND',
  '+CUSD',
  '+CREG',
  '+CGREG',
  '+CEREG',
  '+CMTI',
  '+CDSI',
  '+CRING',
  '+CLIP',
  'RING',
];

function isKnownUrc(line: string): boolean {
  const upper = line.toUpperCase();
  return KNOWN_URC.some((prefix) => upper.startsWith(prefix));
}

/** `AT+CSQ` → `+CSQ:`, `AT^SYSINFO` → `^SYSINFO:`, `AT+COPS=3,2;+COPS?` → `+COPS:`; `ATI` → none. */
export function defaultPrefix(command: string): string | null {
  const match = /^AT([+^][A-Z0-9]+)/i.exec(command.trim());
  return match ? `${(match[1] ?? '').toUpperCase()}:` : null;
}

interface Pending {
  command: string;
  accept(line: string): boolean;
  fail(error: Error): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAtClient(transport: AtTransport, options: AtClientOptions = {}): AtClient {
  const timeoutMs = options.timeoutMs ?? 3000;
  const quietMs = options.quietMs ?? 300;
  const maxQuietWaitMs = options.maxQuietWaitMs ?? 3000;
  const resyncAttempts = options.resyncAttempts ?? 3;
  const resyncTimeoutMs = options.resyncTimeoutMs ?? 1000;
  const log = options.log;
  const path = transport.path;

  let pending: Pending | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let needsResync = false;
  let gone: LokoleError | undefined;
  let lastLineAt = 0;
  let lineCount = 0;
  const urcListeners = new Set<(line: string) => void>();

  function goneError(cause?: unknown): LokoleError {
    return new LokoleError(
      'UNAVAILABLE',
      `The modem on ${path} went away (unplugged, reset or switched mode): check that the stick is seated, wait 30 seconds, then open Modem diagnostics again.`,
      { reason: 'modem-gone', cause },
    );
  }

  const unsubscribeLine = transport.onLine((raw) => {
    for (const line of toLines(raw)) {
      lastLineAt = performance.now();
      lineCount += 1;
      if (pending?.accept(line)) continue;
      if (line.startsWith('+') || line.startsWith('^') || isKnownUrc(line)) {
        for (const listener of urcListeners) listener(line);
      } else {
        // Typically the late reply to a command that timed out; resync makes sure it stays here.
        log?.debug({ path, line }, 'modem line outside any command');
      }
    }
  });
  const unsubscribeClose = transport.onClose((error) => {
    gone ??= goneError(error);
    pending?.fail(gone);
  });

  function send(command: string, commandOptions: CommandOptions): Promise<AtResponse> {
    const limit = commandOptions.timeoutMs ?? timeoutMs;
    const expectPrefix =
      commandOptions.expectPrefix === undefined ? defaultPrefix(command) : commandOptions.expectPrefix;
    const signal = commandOptions.signal;
    return new Promise<AtResponse>((resolve, reject) => {
      const lines: string[] = [];
      let settled = false;
      const finish = (error: Error | undefined, response?: AtResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (pending === current) pending = undefined;
        if (error) reject(error);
        else if (response) resolve(response);
      };
      const timer = setTimeout(() => {
        // Whatever the modem still sends for this command must never be read as the next one's reply.
        needsResync = true;
        finish(
          new LokoleError(
            'UNAVAILABLE',
            `The modem on ${path} did not answer ${command} within ${limit / 1000} s: it may be busy, starting up, or this is not its AT port. Wait a minute and try again; if it persists, unplug and replug the stick.`,
            { reason: 'at-timeout' },
          ),
        );
      }, limit);
      const onAbort = () => {
        needsResync = true;
        finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      const current: Pending = {
        command,
        accept(line) {
          // With echo on (ATE1, the default after ATZ) the modem repeats the command first.
          if (line.toUpperCase() === command.toUpperCase()) return true;
          const result = parseFinal(line);
          if (result) {
            finish(undefined, { command, lines, final: line, result, ok: result.kind === 'ok' });
            return true;
          }
          const upper = line.toUpperCase();
          if (expectPrefix !== null && upper.startsWith(expectPrefix)) {
            lines.push(line);
            return true;
          }
          // A tagged line that is not this command's is unsolicited (a ^RSSI between request and reply).
          const unsolicited =
            expectPrefix === null ? isKnownUrc(line) : line.startsWith('+') || line.startsWith('^');
          if (unsolicited) return false;
          lines.push(line);
          return true;
        },
        fail: (error) => finish(error),
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      pending = current;
      transport.write(`${command}\r`).catch((error: unknown) => {
        gone ??= goneError(error);
        finish(gone);
      });
    });
  }

  async function resyncNow(): Promise<void> {
    const started = performance.now();
    for (;;) {
      const quietFor = performance.now() - lastLineAt;
      if (quietFor >= quietMs || performance.now() - started >= maxQuietWaitMs) break;
      await sleep(quietMs - quietFor);
    }
    for (let attempt = 1; attempt <= resyncAttempts; attempt += 1) {
      if (gone) throw gone;
      await transport.flush();
      try {
        const response = await send('AT', { timeoutMs: resyncTimeoutMs, expectPrefix: null });
        if (response.ok && response.lines.length === 0) {
          // A clean OK, and nothing after it: a late OK taken for ours would leave our own OK
          // to arrive during the quiet wait.
          const before = lineCount;
          await sleep(quietMs);
          if (lineCount === before) {
            needsResync = false;
            return;
          }
        }
      } catch (error) {
        if (gone) throw gone;
        log?.debug({ path, attempt, err: error }, 'resync: no clean OK yet');
      }
    }
    needsResync = true;
    throw new LokoleError(
      'UNAVAILABLE',
      `The modem on ${path} stopped answering AT commands: unplug the stick, wait 10 seconds, plug it back in and try again.`,
      { reason: 'at-resync-failed' },
    );
  }

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  }

  const client: AtClient = {
    path,
    command(command, commandOptions = {}) {
      return enqueue(async () => {
        if (gone) throw gone;
        if (needsResync) await resyncNow();
        return send(command, commandOptions);
      });
    },
    waitUrc(prefix, { timeoutMs: limit, signal }) {
      return new Promise<string>((resolve, reject) => {
        const upperPrefix = prefix.toUpperCase();
        const done = (error: Error | undefined, line?: string) => {
          clearTimeout(timer);
          unsubscribe();
          signal?.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve(line ?? '');
        };
        const unsubscribe = client.onUrc((line) => {
          if (line.toUpperCase().startsWith(upperPrefix)) done(undefined, line);
        });
        const timer = setTimeout(
          () =>
            done(
              new LokoleError(
                'UNAVAILABLE',
                `The modem on ${path} sent no ${prefix} within ${limit / 1000} s: the network did not answer; try again later.`,
                { reason: 'urc-timeout' },
              ),
            ),
          limit,
        );
        const onAbort = () => done(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal?.aborted) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    onUrc(listener) {
      urcListeners.add(listener);
      return () => urcListeners.delete(listener);
    },
    async initialize() {
      // The first command fails only on silence; ERROR from old firmware for the others is fine.
      await client.command('ATE0', { expectPrefix: null });
      for (const command of ['AT+CMEE=1', 'AT^CURC=0']) {
        const response = await client.command(command, { expectPrefix: null });
        if (!response.ok) log?.debug({ path, command, final: response.final }, 'setup command refused');
      }
    },
    resync() {
      return enqueue(resyncNow);
    },
    async close() {
      gone ??= new LokoleError('UNAVAILABLE', `The connection to the modem on ${path} is closed.`, {
        reason: 'closed',
      });
      pending?.fail(gone);
      unsubscribeLine();
      unsubscribeClose();
      urcListeners.clear();
      await transport.close();
    },
  };
  return client;
}
