import { chmod, cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { applyOverlay, OVERLAY_DIR } from '../../src/apply/index.js';
import type { DeviceConfig } from '../../src/device-config/index.js';
import { loadModemTable } from '../../src/modem/index.js';
import { deviceConfig, tempDir } from '../device-config/helpers.js';
import { requireTool } from './helpers.js';

// The generated files, checked by the programs that will read them. Each check is also run on a
// broken file, so a validator that accepts anything would fail here.

async function appliedRoot(t: ExecutionContext, config: DeviceConfig): Promise<string> {
  const root = await tempDir(t, 'lokole-root-');
  await applyOverlay({ overlayDir: OVERLAY_DIR, root, config, modemTable: await loadModemTable() });
  return root;
}

const CONFIGS = {
  'captive portal, modem link': {
    captivePortal: true,
    link: 'modem',
    modem: { apn: 'vodanet' },
    hotspot: { passphrase: 'mbote-na-bino' },
  },
  'no captive portal, ethernet link, open hotspot': { captivePortal: false, link: 'ethernet' },
} as const;

async function dnsmasqTest(dnsmasq: string, file: string) {
  return execa(dnsmasq, ['--test', `--conf-file=${file}`], { reject: false, all: true });
}

for (const [name, changes] of Object.entries(CONFIGS)) {
  test(`dnsmasq --test accepts the rendered config (${name})`, async (t) => {
    const dnsmasq = await requireTool(t, 'dnsmasq', 'dnsmasq-base');
    if (!dnsmasq) return;
    const root = await appliedRoot(t, await deviceConfig(changes));
    const result = await dnsmasqTest(dnsmasq, path.join(root, 'etc/dnsmasq.d/lokole.conf'));
    t.is(result.exitCode, 0, result.all);
    t.regex(result.all ?? '', /syntax check OK/);
  });
}

test('dnsmasq --test rejects a broken config, so it reads the file', async (t) => {
  const dnsmasq = await requireTool(t, 'dnsmasq', 'dnsmasq-base');
  if (!dnsmasq) return;
  const file = path.join(await tempDir(t), 'broken.conf');
  await writeFile(file, 'interface=wlan0\ndhcp-range=10.0.0.10,banana,12h\n');
  const result = await dnsmasqTest(dnsmasq, file);
  t.not(result.exitCode, 0);
  t.regex(result.all ?? '', /bad dhcp-range at line 2/);
});

/**
 * `systemd-analyze verify --root` resolves the units' dependencies and ExecStart binaries inside
 * the root: give it the host's stock units and stubs of the programs the image will hold.
 */
async function prepareSystemdRoot(root: string): Promise<void> {
  await mkdir(path.join(root, 'usr/lib/systemd'), { recursive: true });
  await cp('/usr/lib/systemd/system', path.join(root, 'usr/lib/systemd/system'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  await symlink('usr/lib', path.join(root, 'lib'));
  for (const program of ['usr/local/bin/lokole', 'usr/bin/rm', 'usr/sbin/hostapd']) {
    await mkdir(path.dirname(path.join(root, program)), { recursive: true });
    await writeFile(path.join(root, program), '#!/bin/sh\n');
    await chmod(path.join(root, program), 0o755);
  }
}

async function verifyUnits(analyze: string, root: string, files: string[]) {
  return execa(analyze, ['verify', `--root=${root}`, ...files], {
    reject: false,
    all: true,
  });
}

test('systemd-analyze verify passes every rendered unit without a warning', async (t) => {
  const analyze = await requireTool(t, 'systemd-analyze', 'systemd');
  if (!analyze) return;
  const root = await appliedRoot(t, await deviceConfig());
  await prepareSystemdRoot(root);
  const dir = path.join(root, 'etc/systemd/system');
  const units = (await readdir(dir)).filter((name) => /\.(service|timer|path)$/.test(name));
  t.is(units.length, 7);
  // Debian's hostapd.service (copied from the host) with our drop-in from etc/.
  const result = await verifyUnits(analyze, root, [
    ...units.map((unit) => path.join(dir, unit)),
    path.join(root, 'usr/lib/systemd/system/hostapd.service'),
  ]);
  t.is(result.exitCode, 0, result.all);
  t.is(result.all, '', 'a warning (unknown key, bad value) fails the test too');
});

test('systemd-analyze verify catches a misspelt key and a missing program', async (t) => {
  const analyze = await requireTool(t, 'systemd-analyze', 'systemd');
  if (!analyze) return;
  const root = await appliedRoot(t, await deviceConfig());
  await prepareSystemdRoot(root);
  const dir = path.join(root, 'etc/systemd/system');
  await writeFile(
    path.join(dir, 'typo.service'),
    '[Service]\nTyp=oneshot\nExecStart=/usr/local/bin/lokole sync\n',
  );
  await writeFile(path.join(dir, 'missing.service'), '[Service]\nExecStart=/usr/local/bin/lokole-nothere\n');
  const typo = await verifyUnits(analyze, root, [path.join(dir, 'typo.service')]);
  t.regex(typo.all ?? '', /Unknown key 'Typ'/);
  const missing = await verifyUnits(analyze, root, [path.join(dir, 'missing.service')]);
  t.not(missing.exitCode, 0);
  t.regex(missing.all ?? '', /lokole-nothere is not executable/);
});

async function hostapdParse(hostapd: string, file: string) {
  // No dry-run flag: hostapd reads the whole file, then fails on the driver (no nl80211 here);
  // configuration errors are reported before that, as "Line N: …" and "N errors found".
  return execa(hostapd, ['-dd', file], { reject: false, all: true, timeout: 5_000 });
}

for (const [name, changes] of Object.entries(CONFIGS)) {
  test(`hostapd parses the rendered hostapd.conf without a configuration error (${name})`, async (t) => {
    const hostapd = await requireTool(t, 'hostapd', 'hostapd');
    if (!hostapd) return;
    const root = await appliedRoot(t, await deviceConfig(changes));
    const result = await hostapdParse(hostapd, path.join(root, 'etc/hostapd/hostapd.conf'));
    const output = result.all ?? '';
    t.regex(output, /Configuration file: /);
    t.notRegex(output, /errors? found in configuration file|^Line \d+:/m, output);
    // It got past the file to the interface: the parse is complete.
    t.regex(output, /nl80211|wlan0/);
  });
}

test('hostapd reports a broken hostapd.conf, so the parse check bites', async (t) => {
  const hostapd = await requireTool(t, 'hostapd', 'hostapd');
  if (!hostapd) return;
  const file = path.join(await tempDir(t), 'hostapd.conf');
  await writeFile(
    file,
    'interface=wlan0\ndriver=nl80211\nssid=Lokole\nchanel=6\nwpa=2\nwpa_passphrase=short\n',
  );
  const output = (await hostapdParse(hostapd, file)).all ?? '';
  t.regex(output, /Line 4: unknown configuration item 'chanel'/);
  t.regex(output, /errors found in configuration file/);
});

for (const [name, changes] of Object.entries(CONFIGS)) {
  test(`nft -c accepts the rendered firewall (${name})`, async (t) => {
    const nft = await requireTool(t, 'nft', 'nftables');
    if (!nft) return;
    const root = await appliedRoot(t, await deviceConfig(changes));
    const result = await execa(nft, ['-c', '-f', path.join(root, 'etc/nftables.conf')], {
      reject: false,
      all: true,
    });
    t.is(result.exitCode, 0, result.all);
  });
}

test('nft -c rejects a broken firewall, so the check bites', async (t) => {
  const nft = await requireTool(t, 'nft', 'nftables');
  if (!nft) return;
  const file = path.join(await tempDir(t), 'nftables.conf');
  await writeFile(
    file,
    'table inet lokole {\n  chain input {\n    iifname "wlan0" udp dprt 53 accept\n  }\n}\n',
  );
  const result = await execa(nft, ['-c', '-f', file], { reject: false, all: true });
  t.not(result.exitCode, 0);
  t.regex(result.all ?? '', /syntax error/);
});

test('shellcheck finds nothing in the first-boot script', async (t) => {
  const shellcheck = await requireTool(t, 'shellcheck', 'shellcheck');
  if (!shellcheck) return;
  const result = await execa(shellcheck, [path.join(OVERLAY_DIR, 'usr/lib/lokole/first-boot.sh')], {
    reject: false,
    all: true,
  });
  t.is(result.exitCode, 0, result.all);
});

test('shellcheck flags an unquoted variable, so the check bites', async (t) => {
  const shellcheck = await requireTool(t, 'shellcheck', 'shellcheck');
  if (!shellcheck) return;
  const file = path.join(await tempDir(t), 'bad.sh');
  await writeFile(file, '#!/bin/sh\nrm -f $1\n');
  const result = await execa(shellcheck, [file], { reject: false, all: true });
  t.not(result.exitCode, 0);
  t.regex(result.all ?? '', /SC2086/);
});
