import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import test, { type ExecutionContext } from 'ava';
import { main } from '../../src/cli/run.js';
import { loadDeviceConfig, saveDeviceConfig, type DeviceConfig } from '../../src/device-config/index.js';

async function syncWith(t: ExecutionContext, change: (config: DeviceConfig) => DeviceConfig) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lokole-sync-cli-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const file = path.join(dataDir, 'config.json');
  await saveDeviceConfig(file, change(await loadDeviceConfig(file, { ifMissing: 'defaults' })));
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk) => (err += chunk));
  const code = await main(['sync'], {
    env: { LOKOLE_DATA_DIR: dataDir, LOKOLE_DEVICE_NAME: 'goma', LOG_LEVEL: 'silent' },
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
  });
  return { code, err };
}

test('a local-only Lokole does not sync and says so (exit 75)', async (t) => {
  const { code, err } = await syncWith(t, (config) => ({ ...config, link: 'none' }));
  t.is(code, 75);
  t.regex(err, /local only/i);
});

test('the modem link without an APN stops before dialing, telling where to find the APN (exit 78)', async (t) => {
  const { code, err } = await syncWith(t, (config) => ({
    ...config,
    link: 'modem',
    modem: { ...config.modem, apn: null },
  }));
  t.is(code, 78);
  t.regex(err, /no APN set: enter the APN of the SIM card/);
});

test('an unregistered Lokole on a working link is told to register (exit 78)', async (t) => {
  const { code, err } = await syncWith(t, (config) => ({ ...config, link: 'ethernet' }));
  t.is(code, 78);
  t.regex(err, /not registered with the cloud/);
});
