import { access, chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isLokoleError, LokoleError } from '@lokole/protocol';
import {
  readInterfaceBytes,
  type DialConditions,
  type Link,
  type LinkReport,
  type LinkSession,
} from '../link/index.js';
import type { DialLockState } from './lock.js';
import { spawnProcess, type ProcessSpawner, type SpawnedProcess } from './processes.js';
import {
  describeDialFailure,
  parseWvdialLine,
  renderWvdialConf,
  type DialFailure,
  type WvdialSettings,
} from './wvdial.js';

export interface ModemLinkOptions {
  /** APN and the rest from the device config; `modemPath` fixed, or found by `findModemPort`. */
  dial: Omit<WvdialSettings, 'modemPath'> & { modemPath?: string };
  /** Discovery (switching the stick to modem mode if need be) → the modem port's path. */
  findModemPort?: () => Promise<string>;
  /** Where wvdial.conf is written; it holds the APN password, so it is mode 600. */
  confPath: string;
  spawn?: ProcessSpawner;
  wvdialPath?: string;
  /** Extra environment for wvdial and the pppd it starts (tests point a fake pppd at a folder). */
  env?: Record<string, string>;
  /** Signal, operator and registration for the sync log; best effort, before the port is handed to wvdial. */
  readDialConditions?: () => Promise<DialConditions>;
  conditionsTimeoutMs?: number;
  checkDialLock?: () => Promise<DialLockState>;
  interfaceName?: string;
  netClassDir?: string;
  /** Whether the PPP interface exists; default: `<netClassDir>/<name>` exists. */
  isInterfaceUp?: (name: string) => Promise<boolean>;
  /** The original Lokole gave a dial 90 s. */
  timeoutMs?: number;
  /** After pppd reports an address, how long ppp0 may take to appear. */
  interfaceTimeoutMs?: number;
  hangupTimeoutMs?: number;
  /**
   * wvdial 1.61 sometimes aborts on a wvstreams assertion (`WvTaskMan … stack_magic`,
   * wlach/wvdial#4) before the link is up; seen here on the fake modem. One more try by default.
   */
  crashRetries?: number;
  now?: () => Date;
}

/** The dial's process and output, kept by the link between up() and down(). */
interface Running {
  process: SpawnedProcess;
  lines: string[];
  exited: boolean;
  /** From "Pid of pppd": if wvdial dies, its pppd lives on and must be stopped too. */
  pppdPid: number | undefined;
}

function stopOrphan(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The modem implementation of `Link`: wvdial dials, pppd brings up ppp0, SIGTERM hangs up. */
export function createModemLink(options: ModemLinkOptions): Link {
  const spawn = options.spawn ?? spawnProcess;
  const interfaceName = options.interfaceName ?? 'ppp0';
  const netClassDir = options.netClassDir ?? '/sys/class/net';
  const isInterfaceUp =
    options.isInterfaceUp ??
    ((name: string) =>
      access(path.join(netClassDir, name)).then(
        () => true,
        () => false,
      ));
  const timeoutMs = options.timeoutMs ?? 90_000;
  const interfaceTimeoutMs = options.interfaceTimeoutMs ?? 10_000;
  const hangupTimeoutMs = options.hangupTimeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  const sessions = new WeakMap<LinkSession, Running>();

  /** SIGTERM (wvdial then stops pppd and says "Disconnecting"), SIGKILL if it lingers. */
  async function hangUp(running: Running): Promise<string[]> {
    if (running.exited) {
      stopOrphan(running.pppdPid);
      return [];
    }
    running.process.kill('SIGTERM');
    const stopped = await Promise.race([
      running.process.exited.then(() => true),
      sleep(hangupTimeoutMs).then(() => false),
    ]);
    if (stopped) return [];
    running.process.kill('SIGKILL');
    await Promise.race([running.process.exited, sleep(2000)]);
    stopOrphan(running.pppdPid);
    return [`wvdial did not stop within ${hangupTimeoutMs / 1000} s of SIGTERM and was killed.`];
  }

  async function conditions(): Promise<DialConditions | undefined> {
    if (!options.readDialConditions) return undefined;
    try {
      return await withTimeout(
        options.readDialConditions(),
        options.conditionsTimeoutMs ?? 20_000,
        'the modem took too long to report signal and registration',
      );
    } catch (error) {
      return {
        signalDbm: undefined,
        signalBars: undefined,
        operator: undefined,
        registration: undefined,
        dataRegistration: undefined,
        accessTechnology: undefined,
        problems: [error instanceof Error ? error.message : String(error)],
      };
    }
  }

  function fail(
    failure: DialFailure | 'timeout' | 'exited' | 'crashed' | 'aborted',
    lines: string[],
    detail = '',
  ): LokoleError {
    const last = lines.slice(-5).join(' / ');
    const sentence =
      failure === 'timeout'
        ? `The modem did not connect within ${timeoutMs / 1000} s: check the signal and registration in Modem diagnostics, and the APN.`
        : failure === 'exited' || failure === 'crashed'
          ? `wvdial stopped before the connection was up${detail ? ` (${detail})` : ''}: check the modem settings, then Modem diagnostics.`
          : failure === 'aborted'
            ? 'The dial was cancelled.'
            : describeDialFailure(failure);
    return new LokoleError('LINK_DOWN', last ? `${sentence} wvdial said: ${last}` : sentence, {
      reason: failure,
    });
  }

  return {
    kind: 'modem',
    async up(signal) {
      const lock = await options.checkDialLock?.();
      if (lock?.isDialing) {
        throw new LokoleError(
          'LINK_DOWN',
          `Another dial is already running (${lock.evidence.join('; ')}): wait for it to finish.`,
          { reason: 'dial-running' },
        );
      }
      const modemPath = options.dial.modemPath ?? (await options.findModemPort?.());
      if (!modemPath) {
        throw new LokoleError('BAD_CONFIG', 'No modem port is configured and none can be discovered.', {
          reason: 'no-modem-port',
        });
      }
      const dial = await conditions();
      let conf: string;
      try {
        conf = renderWvdialConf({ ...options.dial, modemPath });
      } catch (error) {
        if (isLokoleError(error))
          throw new LokoleError('BAD_CONFIG', error.message, { reason: error.reason, cause: error });
        throw error;
      }
      await writeAtomically(options.confPath, conf);

      const started = performance.now();
      const startedAt = now();
      let attemptsLeft = options.crashRetries ?? 1;
      for (;;) {
        const child = spawn(options.wvdialPath ?? 'wvdial', ['--no-syslog', `--config=${options.confPath}`], {
          env: options.env,
        });
        const running: Running = { process: child, lines: [], exited: false, pppdPid: undefined };

        const outcome = await new Promise<{ localAddress: string } | LokoleError>((resolve) => {
          let settled = false;
          let localAddress: string | undefined;
          const finish = (result: { localAddress: string } | LokoleError) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(result);
          };
          const timer = setTimeout(() => finish(fail('timeout', running.lines)), timeoutMs);
          const onAbort = () => finish(fail('aborted', running.lines));
          if (signal?.aborted) onAbort();
          signal?.addEventListener('abort', onAbort, { once: true });

          child.onLine((line) => {
            running.lines.push(line);
            if (running.lines.length > 200) running.lines.shift();
            const event = parseWvdialLine(line);
            if (event?.type === 'pppd') running.pppdPid = event.pid;
            if (!event || settled) return;
            if (event.type === 'failure' && event.final) finish(fail(event.failure, running.lines));
            if (event.type === 'local-ip' && localAddress === undefined) {
              localAddress = event.address;
              // pppd has an address; the link is up once the kernel shows the interface.
              void (async () => {
                const deadline = performance.now() + interfaceTimeoutMs;
                while (!settled && performance.now() < deadline) {
                  if (await isInterfaceUp(interfaceName)) {
                    finish({ localAddress: event.address });
                    return;
                  }
                  await sleep(100);
                }
                finish(
                  fail(
                    'exited',
                    running.lines,
                    `pppd reported ${event.address} but ${interfaceName} never appeared`,
                  ),
                );
              })();
            }
          });
          void child.exited.then((exit) => {
            running.exited = true;
            // wvdial's exit code says little (0 after "Maximum Attempts Exceeded"): its output decided above.
            const detail = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode ?? '?'}`;
            const crashed = exit.signal === 'SIGABRT' || exit.signal === 'SIGSEGV';
            finish(crashed ? fail('crashed', running.lines, detail) : fail('exited', running.lines, detail));
          });
        });

        if (outcome instanceof LokoleError) {
          await hangUp(running);
          if (outcome.reason === 'crashed' && attemptsLeft > 0) {
            attemptsLeft -= 1;
            continue;
          }
          throw outcome;
        }
        const session: LinkSession = {
          kind: 'modem',
          interfaceName,
          startedAt,
          upMs: Math.round(performance.now() - started),
          localAddress: outcome.localAddress,
          dial,
          startBytes: await readInterfaceBytes(interfaceName, netClassDir),
        };
        sessions.set(session, running);
        return session;
      }
    },

    async down(session) {
      const running = sessions.get(session);
      const warnings: string[] = [];
      // Read before hanging up: the counters vanish with ppp0.
      const end = await readInterfaceBytes(interfaceName, netClassDir);
      if (!end)
        warnings.push(
          `${interfaceName} was already gone at hang-up: the session's bytes could not be counted.`,
        );
      if (running) {
        warnings.push(...(await hangUp(running)));
        sessions.delete(session);
      } else {
        warnings.push('This session was not started by this link; nothing to hang up.');
      }
      return {
        kind: 'modem',
        interfaceName,
        upMs: session.upMs,
        connectedMs: now().getTime() - session.startedAt.getTime() - session.upMs,
        // ppp0 is created for the dial, so its counters are the session's, PPP negotiation included.
        bytes: end,
        dial: session.dial,
        warnings,
      } satisfies LinkReport;
    },
  };
}
