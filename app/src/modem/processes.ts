import { createInterface } from 'node:readline';
import { execa } from 'execa';

/** What the modem code needs from a short command (usb_modeswitch); tests pass a plain function. */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal },
) => Promise<CommandResult>;

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not run at all (`spawn usb_modeswitch ENOENT`). */
  failure: string | undefined;
}

export interface ProcessExit {
  exitCode: number | undefined;
  signal: string | undefined;
}

/** A long-running child (wvdial): its output line by line, its end, and a way to stop it. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  onLine(listener: (line: string) => void): void;
  readonly exited: Promise<ProcessExit>;
  kill(signal?: NodeJS.Signals): void;
}

export type ProcessSpawner = (
  file: string,
  args: readonly string[],
  options?: { env?: Record<string, string> },
) => SpawnedProcess;

export const runCommand: CommandRunner = async (file, args, { timeoutMs, signal }) => {
  const result = await execa(file, args, {
    timeout: timeoutMs,
    cancelSignal: signal,
    forceKillAfterDelay: 2000,
    reject: false,
    stdin: 'ignore',
  });
  const spawnFailed =
    result.failed && result.exitCode === undefined && !result.timedOut && !result.isCanceled;
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timedOut,
    failure: spawnFailed ? result.shortMessage : undefined,
  };
};

/** Spawns with both output streams merged into lines; the child dies with us (execa's cleanup). */
export const spawnProcess: ProcessSpawner = (file, args, options = {}) => {
  const child = execa(file, args, {
    reject: false,
    stdin: 'ignore',
    buffer: false,
    cleanup: true,
    env: options.env,
  });
  const listeners = new Set<(line: string) => void>();
  const drained = [child.stdout, child.stderr].map((stream) => {
    const lines = createInterface({ input: stream });
    lines.on('line', (line) => {
      for (const listener of listeners) listener(line);
    });
    return new Promise<void>((resolve) => lines.once('close', resolve));
  });
  // Resolves once the last lines are delivered, so the words explaining an exit are not lost; but a
  // grandchild (pppd) may hold the pipes open after the child died, so not later than 500 ms on.
  // execa settles only when the pipes close, which a grandchild (pppd) can hold open after the
  // child died: the exit event is what counts. Lines still in the pipes get 500 ms to arrive.
  const exitEvent = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }),
    );
    child.once('error', () => resolve({ exitCode: undefined, signal: undefined }));
  });
  child.catch(() => undefined);
  const exited = exitEvent.then(async (exit) => {
    await Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 500))]);
    return exit;
  });
  return {
    pid: child.pid,
    onLine: (listener) => listeners.add(listener),
    exited,
    kill: (signal = 'SIGTERM') => child.kill(signal),
  };
};
