import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LokoleError } from '@lokole/protocol';

export interface DialLockOptions {
  netClassDir?: string;
  /** Where pppd writes its UUCP lock files (`LCK..ttyUSB0`). */
  lockDir?: string;
  procDir?: string;
  interfaceName?: string;
}

export interface DialLockState {
  isDialing: boolean;
  /** What gave the dial away, for logs and the diagnostics page. */
  evidence: string[];
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/**
 * Whether a dial holds the modem. serialport's flock and pppd's UUCP lock files do not see each
 * other, so this looks for every trace a dial leaves: the PPP interface, a wvdial or pppd process,
 * and a lock file whose owner is alive.
 */
export async function checkDialLock(options: DialLockOptions = {}): Promise<DialLockState> {
  const netClassDir = options.netClassDir ?? '/sys/class/net';
  const lockDir = options.lockDir ?? '/var/lock';
  const procDir = options.procDir ?? '/proc';
  const interfaceName = options.interfaceName ?? 'ppp0';
  const evidence: string[] = [];

  if (await exists(path.join(netClassDir, interfaceName))) evidence.push(`${interfaceName} exists`);

  for (const entry of await list(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    let name: string;
    try {
      name = (await readFile(path.join(procDir, entry, 'comm'), 'utf8')).trim();
    } catch {
      continue; // the process ended while we looked
    }
    if (name === 'wvdial' || name === 'pppd') evidence.push(`${name} is running (pid ${entry})`);
  }

  for (const entry of await list(lockDir)) {
    if (!entry.startsWith('LCK..tty')) continue;
    let pid: string;
    try {
      pid = (await readFile(path.join(lockDir, entry), 'utf8')).trim();
    } catch {
      continue;
    }
    // A lock file left by a pppd that died is stale and must not block diagnostics forever.
    if (/^\d+$/.test(pid) && (await exists(path.join(procDir, pid)))) {
      evidence.push(`${path.join(lockDir, entry)} is held by pid ${pid}`);
    }
  }
  return { isDialing: evidence.length > 0, evidence };
}

/** Throws when a dial is running: Huawei sticks serialise commands across ports, so even the PCUI port waits. */
export async function assertNotDialing(options: DialLockOptions = {}): Promise<void> {
  const state = await checkDialLock(options);
  if (state.isDialing) {
    throw new LokoleError(
      'UNAVAILABLE',
      `A sync is using the modem (${state.evidence.join('; ')}): diagnostics will be available again when it hangs up.`,
      { reason: 'dial-running' },
    );
  }
}
