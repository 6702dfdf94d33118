import { readFile, statfs as fsStatfs, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A reading the board may not offer: the view says "not reported by this board" for `undefined`. */
export interface SystemReport {
  takenAt: string;
  /** °C from thermal zone 0 (the SoC on a Raspberry Pi). */
  cpuTemperatureC: number | undefined;
  /** 1, 5 and 15 minute load averages, and the cores they compare with. */
  load: { one: number; five: number; fifteen: number; cpus: number };
  memory: { totalBytes: number; availableBytes: number };
  /** The card holding the data dir. */
  disk: { totalBytes: number; freeBytes: number } | undefined;
  uptimeSeconds: number;
  /**
   * `synchronized`: systemd-timesyncd reached a time server since boot; `not-synchronized`: it
   * runs but has not; `unknown`: no timesyncd here (a developer's machine).
   */
  clock: 'synchronized' | 'not-synchronized' | 'unknown';
  /** Raspberry Pi firmware flags; undefined when the board does not report them. */
  power: PowerFlags | undefined;
}

export interface PowerFlags {
  isUnderVoltage: boolean;
  isThrottled: boolean;
  /** Since boot: a power supply that sagged once under load shows here even when fine now. */
  hasBeenUnderVoltage: boolean;
  hasBeenThrottled: boolean;
}

export interface SystemStatusOptions {
  /** `/sys`, or a fixture tree in tests. */
  sysRoot?: string;
  /** `/proc`. */
  procRoot?: string;
  /** `/run`, where systemd-timesyncd leaves its marker. */
  runRoot?: string;
  /** The folder whose file system is reported (the data dir). */
  dataDir: string;
  statfs?: (dir: string) => Promise<{ blocks: number; bavail: number; bsize: number }>;
  loadavg?: () => number[];
  cpuCount?: () => number;
  now?: () => Date;
  /** A page and its refreshes should not re-read everything: 5 s by default. */
  cacheMs?: number;
}

export interface SystemStatus {
  read(): Promise<SystemReport>;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** `MemTotal:  948304 kB` lines → bytes by key. */
export function parseMeminfo(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)\s*(kB)?/.exec(line);
    if (match) values.set(match[1]!, Number(match[2]) * (match[3] ? 1024 : 1));
  }
  return values;
}

/**
 * The firmware's `get_throttled` bits (vcgencmd get_throttled): 0 under-voltage now, 2 throttled
 * now, 16 under-voltage since boot, 18 throttled since boot. Written in hex, with or without 0x.
 */
export function parseThrottled(text: string): PowerFlags | undefined {
  const match = /^(?:0x)?([0-9a-f]+)$/i.exec(text.trim());
  if (!match) return undefined;
  const bits = Number.parseInt(match[1]!, 16);
  const bit = (n: number) => (bits & (1 << n)) !== 0;
  return {
    isUnderVoltage: bit(0),
    isThrottled: bit(2),
    hasBeenUnderVoltage: bit(16),
    hasBeenThrottled: bit(18),
  };
}

/**
 * The system panel of the diagnostics page, from cheap sources only (notes modem.md §5): sysfs,
 * procfs, statfs and `os`; no child processes, so a Pi 3 under a sync stays responsive.
 */
export function createSystemStatus(options: SystemStatusOptions): SystemStatus {
  const sysRoot = options.sysRoot ?? '/sys';
  const procRoot = options.procRoot ?? '/proc';
  const runRoot = options.runRoot ?? '/run';
  const statfs = options.statfs ?? fsStatfs;
  const loadavg = options.loadavg ?? os.loadavg;
  const cpuCount = options.cpuCount ?? (() => os.availableParallelism());
  const now = options.now ?? (() => new Date());
  const cacheMs = options.cacheMs ?? 5000;
  let cached: { at: number; report: Promise<SystemReport> } | undefined;

  async function take(): Promise<SystemReport> {
    const [temp, meminfo, uptime, disk, synchronized, timesyncRuns, throttled] = await Promise.all([
      readText(path.join(sysRoot, 'class/thermal/thermal_zone0/temp')),
      readText(path.join(procRoot, 'meminfo')),
      readText(path.join(procRoot, 'uptime')),
      statfs(options.dataDir).then(
        (s) => ({ totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }),
        () => undefined,
      ),
      exists(path.join(runRoot, 'systemd/timesync/synchronized')),
      exists(path.join(runRoot, 'systemd/timesync')),
      readText(path.join(sysRoot, 'devices/platform/soc/soc:firmware/get_throttled')),
    ]);
    const milli = temp === undefined ? Number.NaN : Number(temp);
    const memory = meminfo === undefined ? undefined : parseMeminfo(meminfo);
    const total = memory?.get('MemTotal');
    // Kernels before 3.14 have no MemAvailable: free + page cache is the usual stand-in.
    const available =
      memory?.get('MemAvailable') ??
      (memory?.has('MemFree') ? memory.get('MemFree')! + (memory.get('Cached') ?? 0) : undefined);
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    const uptimeSeconds = Number(uptime?.split(/\s+/)[0]);
    return {
      takenAt: now().toISOString(),
      cpuTemperatureC: Number.isFinite(milli) ? Math.round(milli / 100) / 10 : undefined,
      load: { one, five, fifteen, cpus: cpuCount() },
      memory:
        total !== undefined && available !== undefined
          ? { totalBytes: total, availableBytes: available }
          : { totalBytes: os.totalmem(), availableBytes: os.freemem() },
      disk,
      uptimeSeconds: Number.isFinite(uptimeSeconds) ? Math.floor(uptimeSeconds) : Math.floor(os.uptime()),
      clock: synchronized ? 'synchronized' : timesyncRuns ? 'not-synchronized' : 'unknown',
      power: throttled === undefined ? undefined : parseThrottled(throttled),
    };
  }

  return {
    read() {
      const at = Date.now();
      if (!cached || at - cached.at >= cacheMs) {
        const report = take();
        cached = { at, report };
        // A failed read is not cached: the next refresh tries again.
        report.catch(() => {
          cached = undefined;
        });
      }
      return cached.report;
    },
  };
}
