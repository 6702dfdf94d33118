import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { createSystemStatus, parseThrottled } from '../../src/system/index.js';

const MEMINFO =
  'MemTotal:         948304 kB\nMemFree:          101200 kB\nMemAvailable:     612000 kB\nCached:  300000 kB\n';

/** A fixture root with `sys/`, `proc/` and `run/` holding only the files given. */
async function fixtureRoot(t: ExecutionContext, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-system-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

function statusOf(root: string, extra: Partial<Parameters<typeof createSystemStatus>[0]> = {}) {
  return createSystemStatus({
    sysRoot: path.join(root, 'sys'),
    procRoot: path.join(root, 'proc'),
    runRoot: path.join(root, 'run'),
    dataDir: root,
    statfs: () => Promise.resolve({ blocks: 1000, bavail: 250, bsize: 4096 }),
    loadavg: () => [0.5, 1.25, 2],
    cpuCount: () => 4,
    now: () => new Date('2026-11-02T08:00:00Z'),
    ...extra,
  });
}

test('a Raspberry Pi reports temperature, memory, disk, uptime, a synchronised clock and past under-voltage', async (t) => {
  const root = await fixtureRoot(t, {
    'sys/class/thermal/thermal_zone0/temp': '52615\n',
    'sys/devices/platform/soc/soc:firmware/get_throttled': '50000\n',
    'proc/meminfo': MEMINFO,
    'proc/uptime': '93784.52 350000.10\n',
    'run/systemd/timesync/synchronized': '',
  });
  const report = await statusOf(root).read();
  t.is(report.cpuTemperatureC, 52.6);
  t.deepEqual(report.load, { one: 0.5, five: 1.25, fifteen: 2, cpus: 4 });
  t.deepEqual(report.memory, { totalBytes: 948304 * 1024, availableBytes: 612000 * 1024 });
  t.deepEqual(report.disk, { totalBytes: 4096000, freeBytes: 1024000 });
  t.is(report.uptimeSeconds, 93784);
  t.is(report.clock, 'synchronized');
  t.deepEqual(report.power, {
    isUnderVoltage: false,
    isThrottled: false,
    hasBeenUnderVoltage: true,
    hasBeenThrottled: true,
  });
  t.is(report.takenAt, '2026-11-02T08:00:00.000Z');
});

test('a board without thermal zone or firmware flags says so instead of guessing', async (t) => {
  const root = await fixtureRoot(t, { 'proc/meminfo': MEMINFO, 'run/systemd/timesync/clock': '' });
  const report = await statusOf(root).read();
  t.is(report.cpuTemperatureC, undefined);
  t.is(report.power, undefined);
  t.is(report.clock, 'not-synchronized');
});

test('without systemd-timesyncd the clock state is unknown, and an unreadable disk is left out', async (t) => {
  const root = await fixtureRoot(t, {});
  const report = await statusOf(root, { statfs: () => Promise.reject(new Error('EACCES')) }).read();
  t.is(report.clock, 'unknown');
  t.is(report.disk, undefined);
  t.true(report.memory.totalBytes > 0);
  t.true(report.uptimeSeconds >= 0);
});

test('readings are cached for 5 seconds', async (t) => {
  const root = await fixtureRoot(t, { 'sys/class/thermal/thermal_zone0/temp': '40000' });
  const status = statusOf(root);
  t.is((await status.read()).cpuTemperatureC, 40);
  await writeFile(path.join(root, 'sys/class/thermal/thermal_zone0/temp'), '80000');
  t.is((await status.read()).cpuTemperatureC, 40);
  const uncached = statusOf(root, { cacheMs: 0 });
  t.is((await uncached.read()).cpuTemperatureC, 80);
});

test('the throttled flags read hex with or without 0x, and reject anything else', (t) => {
  t.deepEqual(parseThrottled('0x5'), {
    isUnderVoltage: true,
    isThrottled: true,
    hasBeenUnderVoltage: false,
    hasBeenThrottled: false,
  });
  t.is(parseThrottled('0')?.isUnderVoltage, false);
  t.is(parseThrottled('throttled=0x0'), undefined);
});
