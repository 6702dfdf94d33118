import { execa } from 'execa';
import { LokoleError } from '@lokole/protocol';
import type { ReloadPlan } from './services.js';

export interface SystemctlOptions {
  systemctlPath?: string;
  /** Per command: a service that hangs on stop must not hang the apply. */
  timeoutMs?: number;
}

/**
 * The real reload: `systemctl daemon-reload` when unit files changed, then `try-restart` and
 * `try-reload-or-restart` (only services already running: apply never starts what the
 * technician stopped). Tries every unit and reports every failure in one error.
 */
export function createSystemctlReload(options: SystemctlOptions = {}): (plan: ReloadPlan) => Promise<void> {
  const systemctl = options.systemctlPath ?? 'systemctl';
  const timeout = options.timeoutMs ?? 60_000;
  return async (plan) => {
    const failures: string[] = [];
    const run = async (args: string[]): Promise<boolean> => {
      const result = await execa(systemctl, args, { timeout, reject: false, stdin: 'ignore' });
      if (!result.failed) return true;
      const why = result.timedOut
        ? `did not finish within ${timeout / 1000} s`
        : (result.stderr.trim().split('\n').at(-1) ?? '') || result.shortMessage;
      failures.push(`systemctl ${args.join(' ')}: ${why}`);
      return false;
    };
    // Restarting units with stale unit files would use the old ones: stop here if this fails.
    if (plan.daemonReload && !(await run(['daemon-reload']))) {
      throw new LokoleError(
        'UNAVAILABLE',
        `The files were written but systemd did not reload: ${failures.join('; ')}.`,
        {
          reason: 'reload-failed',
        },
      );
    }
    for (const unit of plan.restart) await run(['try-restart', unit]);
    for (const unit of plan.reload) await run(['try-reload-or-restart', unit]);
    if (failures.length > 0) {
      throw new LokoleError(
        'UNAVAILABLE',
        `The files were written but ${failures.length === 1 ? 'a service' : 'some services'} did not restart: ${failures.join('; ')}. See journalctl -u <service>.`,
        { reason: 'reload-failed' },
      );
    }
  };
}
