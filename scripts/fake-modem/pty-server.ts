import { constants, openSync, write } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ReadStream } from 'node:tty';
import { execa, type ResultPromise } from 'execa';
import { createFakeModem, type FakeModem, type FakeModemOptions, type FakeModemState } from './responder.js';

export interface FakeModemPty {
  /** The end a program opens as its modem (`<dir>/ttyLokole`). */
  devicePath: string;
  modem: FakeModem;
  /** Every command received, in order. */
  received: string[];
  stop(): Promise<void>;
}

export interface FakeModemPtyOptions extends FakeModemOptions {
  state: FakeModemState;
  /** Where the pseudo-terminal links go: `<link>` for the program, `<link>.modem` for us. */
  link: string;
  socatPath?: string;
  /** How long socat may take to create the links. */
  startTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * A socat pseudo-terminal pair with the fake modem on one end: real serialport and real wvdial
 * talk to the other end as if it were a USB stick's tty.
 */
export async function startFakeModemPty(options: FakeModemPtyOptions): Promise<FakeModemPty> {
  const devicePath = path.resolve(options.link);
  const modemEnd = `${devicePath}.modem`;
  await mkdir(path.dirname(devicePath), { recursive: true });
  let socat: ResultPromise;
  try {
    socat = execa(
      options.socatPath ?? 'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${modemEnd}`],
      {
        reject: false,
        stdin: 'ignore',
        stdout: 'ignore',
        stderr: 'pipe',
        cleanup: true,
        buffer: { stderr: true },
      },
    );
  } catch (error) {
    throw new Error(`Could not start socat: ${(error as Error).message}`, { cause: error });
  }
  const ended = socat.then((result) => result);
  let socatEnded = false;
  void ended.then(() => {
    socatEnded = true;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 5000);
  while (!((await exists(devicePath)) && (await exists(modemEnd)))) {
    if (socatEnded) {
      const result = await ended;
      const missing = /ENOENT/.test(String(result.shortMessage ?? ''));
      throw new Error(
        missing
          ? 'socat is not installed: `make test` installs it (see scripts/install-system-packages.sh), or apt-get install socat.'
          : `socat stopped before creating the pseudo-terminals: ${String(result.stderr ?? result.shortMessage)}`,
      );
    }
    if (Date.now() > deadline) {
      socat.kill('SIGTERM');
      throw new Error(`socat did not create ${devicePath} within ${options.startTimeoutMs ?? 5000} ms`);
    }
    await sleep(20);
  }

  const modem = createFakeModem(options.state, options);
  const received: string[] = [];
  // O_NOCTTY: the pseudo-terminal must not become this process's controlling terminal.
  const fd = openSync(modemEnd, constants.O_RDWR | constants.O_NOCTTY);
  const input = new ReadStream(fd);
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let partial = '';

  input.setEncoding('latin1');
  input.on('data', (chunk: string) => {
    partial += chunk;
    // Commands end with CR; wvdial sends CR LF at times. PPP frames in data mode have neither reliably.
    const lines = partial.split(/\r\n|\r|\n/);
    partial = lines.pop() ?? '';
    if (partial.length > 4096) partial = '';
    for (const line of lines) {
      if (!line) continue;
      received.push(line);
      for (const reply of modem.handle(line)) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!stopped) write(fd, reply.data, null, 'latin1', () => undefined);
        }, reply.delayMs);
        timers.add(timer);
      }
    }
  });
  // EIO when the other end closes and socat is between readers: not an error for a modem.
  input.on('error', () => undefined);

  return {
    devicePath,
    modem,
    received,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      input.destroy();
      socat.kill('SIGTERM');
      await Promise.race([ended, sleep(2000)]);
      if (!socatEnded) socat.kill('SIGKILL');
    },
  };
}
