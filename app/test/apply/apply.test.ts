import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { applyOverlay, OVERLAY_DIR, type ReloadPlan } from '../../src/apply/index.js';
import type { DeviceConfig } from '../../src/device-config/index.js';
import { loadModemTable } from '../../src/modem/index.js';
import { deviceConfig, tempDir } from '../device-config/helpers.js';

async function apply(
  root: string,
  config: DeviceConfig,
  more: { dryRun?: boolean; plans?: ReloadPlan[] } = {},
) {
  return applyOverlay({
    overlayDir: OVERLAY_DIR,
    root,
    config,
    modemTable: await loadModemTable(),
    dryRun: more.dryRun,
    reload: more.plans ? async (plan) => void more.plans?.push(plan) : undefined,
  });
}

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

test('a first apply writes every file as new, with its mode', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const { changes } = await apply(root, await deviceConfig());
  t.true(changes.length > 15);
  t.true(changes.every((change) => change.kind === 'new'));
  t.is((await stat(path.join(root, 'etc/hostapd/hostapd.conf'))).mode & 0o777, 0o600);
  t.is((await stat(path.join(root, 'usr/lib/lokole/first-boot.sh'))).mode & 0o777, 0o755);
  t.regex(await readFile(path.join(root, 'etc/dnsmasq.d/lokole.conf'), 'utf8'), /address=\/#\/10\.0\.0\.1/);
});

test('a second apply of the same config changes nothing', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await deviceConfig();
  await apply(root, config);
  const plans: ReloadPlan[] = [];
  t.deepEqual((await apply(root, config, { plans })).changes, []);
  t.deepEqual(plans, [], 'nothing to reload');
});

test('a changed setting rewrites only the files that use it', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  const { changes } = await apply(root, await deviceConfig({ hotspot: { channel: 11 } }));
  t.deepEqual(changes, [{ path: '/etc/hostapd/hostapd.conf', kind: 'changed' }]);
});

test('a file whose mode was changed by hand is put back', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await deviceConfig();
  await apply(root, config);
  await chmod(path.join(root, 'etc/hostapd/hostapd.conf'), 0o644);
  t.deepEqual((await apply(root, config)).changes, [{ path: '/etc/hostapd/hostapd.conf', kind: 'changed' }]);
  t.is((await stat(path.join(root, 'etc/hostapd/hostapd.conf'))).mode & 0o777, 0o600);
});

test('an edited file is overwritten and reported as changed', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await deviceConfig();
  await apply(root, config);
  await writeFile(path.join(root, 'etc/ppp/peers/wvdial'), 'noauth\n');
  t.deepEqual((await apply(root, config)).changes, [{ path: '/etc/ppp/peers/wvdial', kind: 'changed' }]);
});

test('a dry run reports the changes and writes nothing', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const plans: ReloadPlan[] = [];
  const { changes } = await apply(root, await deviceConfig(), { dryRun: true, plans });
  t.true(changes.length > 15);
  t.deepEqual(await readdir(root), []);
  t.deepEqual(plans, [], 'a dry run reloads nothing');
});

test('applying leaves no temp files in the root', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  await apply(root, await deviceConfig({ captivePortal: false, hotspot: { channel: 1 } }));
  t.false((await listTree(root)).some((file) => file.endsWith('.tmp')));
});

test('a new hotspot channel restarts hostapd only', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  const plans: ReloadPlan[] = [];
  await apply(root, await deviceConfig({ hotspot: { channel: 1 } }), { plans });
  t.deepEqual(plans, [{ daemonReload: false, restart: ['hostapd.service'], reload: [] }]);
});

test('turning the captive portal off restarts dnsmasq and reloads the firewall', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  const plans: ReloadPlan[] = [];
  await apply(root, await deviceConfig({ captivePortal: false }), { plans });
  t.deepEqual(plans, [{ daemonReload: false, restart: ['dnsmasq.service'], reload: ['nftables.service'] }]);
});

test('a new sync schedule reloads systemd and restarts the timer', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  const plans: ReloadPlan[] = [];
  await apply(root, await deviceConfig({ sync: { schedule: '0 3 * * *' } }), { plans });
  t.deepEqual(plans, [
    { daemonReload: true, restart: ['lokole-sync.timer', 'lokole-web.service'], reload: [] },
  ]);
});

test('a new device name restarts the webmail and dnsmasq', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await apply(root, await deviceConfig());
  const plans: ReloadPlan[] = [];
  await apply(root, await deviceConfig({ device: { name: 'kimpese' } }), { plans });
  t.deepEqual(plans, [
    { daemonReload: false, restart: ['dnsmasq.service', 'lokole-web.service'], reload: [] },
  ]);
});

test('a folder where a file goes is refused with what to do', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(root, 'etc/wvdial.conf'), { recursive: true });
  const error = await t.throwsAsync(apply(root, await deviceConfig()));
  t.regex(error?.message ?? '', /wvdial\.conf is a folder.*move it away/);
});
