import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { createSystemctlReload } from '../../src/apply/index.js';
import { tempDir } from '../device-config/helpers.js';

// A stand-in for systemctl (a third-party program): records its arguments, fails for one unit.
async function fakeSystemctl(t: Parameters<typeof tempDir>[0], script = '') {
  const dir = await tempDir(t, 'lokole-systemctl-');
  const log = path.join(dir, 'calls');
  const file = path.join(dir, 'systemctl');
  await writeFile(file, `#!/bin/sh\necho "$*" >> '${log}'\n${script}\nexit 0\n`);
  await chmod(file, 0o755);
  return {
    file,
    calls: async () => (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean),
  };
}

test('systemd is reloaded first, then units restarted or reloaded only if running', async (t) => {
  const systemctl = await fakeSystemctl(t);
  await createSystemctlReload({ systemctlPath: systemctl.file })({
    daemonReload: true,
    restart: ['hostapd.service', 'lokole-sync.timer'],
    reload: ['nftables.service'],
  });
  t.deepEqual(await systemctl.calls(), [
    'daemon-reload',
    'try-restart hostapd.service',
    'try-restart lokole-sync.timer',
    'try-reload-or-restart nftables.service',
  ]);
});

test('a unit that fails to restart is named, after the others were tried', async (t) => {
  const systemctl = await fakeSystemctl(
    t,
    'if [ "$2" = dnsmasq.service ]; then echo "Job for dnsmasq.service failed." >&2; exit 1; fi',
  );
  const error = await t.throwsAsync(
    createSystemctlReload({ systemctlPath: systemctl.file })({
      daemonReload: false,
      restart: ['dnsmasq.service', 'hostapd.service'],
      reload: [],
    }),
  );
  t.true(isLokoleError(error, 'UNAVAILABLE'));
  t.regex(error?.message ?? '', /try-restart dnsmasq\.service: Job for dnsmasq\.service failed/);
  t.true((await systemctl.calls()).includes('try-restart hostapd.service'));
});

test('a systemctl that hangs is stopped after the timeout', async (t) => {
  const systemctl = await fakeSystemctl(t, 'exec sleep 10');
  const error = await t.throwsAsync(
    createSystemctlReload({ systemctlPath: systemctl.file, timeoutMs: 300 })({
      daemonReload: false,
      restart: ['hostapd.service'],
      reload: [],
    }),
  );
  t.regex(error?.message ?? '', /did not finish within 0\.3 s/);
});
