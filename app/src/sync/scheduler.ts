import { rm, stat } from 'node:fs/promises';

export interface SchedulerDeps {
  /** When the next scheduled sync is due, after `now`. */
  nextRun: (now: Date) => Date;
  /** The file the web UI's "sync now" writes; its presence asks for a sync at once. */
  requestFile: string;
  /** One sync; the scheduler never starts a second while one runs. */
  runSync: (reason: 'schedule' | 'request') => Promise<void>;
  now?: () => Date;
  /** How often the request file is looked for. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export interface Scheduler {
  /** The time of the next scheduled sync. */
  next(): Date;
  stop(): void;
}

/**
 * In development there is no systemd: the web process runs the schedule
 * itself (the timer's job) and watches the request file (the .path unit's).
 */
export function createSyncScheduler(deps: SchedulerDeps): Scheduler {
  const now = deps.now ?? (() => new Date());
  const pollMs = deps.pollMs ?? 2000;
  let running: Promise<void> | null = null;
  let stopped = false;
  let due = deps.nextRun(now());
  let timer: NodeJS.Timeout | undefined;

  function run(reason: 'schedule' | 'request'): Promise<void> {
    running ??= deps
      .runSync(reason)
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => {
        running = null;
      });
    return running;
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    const isRequested = await stat(deps.requestFile).then(
      () => true,
      () => false,
    );
    if (isRequested) {
      await rm(deps.requestFile, { force: true });
      await run('request');
    } else if (now() >= due) {
      due = deps.nextRun(now());
      await run('schedule');
    }
    if (!stopped) timer = setTimeout(() => void tick(), pollMs);
  }

  timer = setTimeout(() => void tick(), pollMs);
  return {
    next: () => due,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
