import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../device-config/index.js';
import type { Clock } from './ports.js';

/**
 * Development clock: the correction is recorded as an offset in `<sync dir>/clock.json` and
 * applied to what `now()` returns. A device sets the system clock through the privileged apply
 * path instead (TODO #7: a `clock` request file watched by lokole-apply).
 */
export async function createOffsetClock(file: string, base: () => Date = () => new Date()): Promise<Clock> {
  let offsetMs = 0;
  try {
    offsetMs = Number((JSON.parse(await readFile(file, 'utf8')) as { offsetMs?: number }).offsetMs ?? 0);
  } catch {
    offsetMs = 0;
  }
  return {
    now: () => new Date(base().getTime() + offsetMs),
    async correct(delta) {
      offsetMs += delta;
      await writeFileAtomically(file, JSON.stringify({ offsetMs }), 0o644);
    },
  };
}
