import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { loadDeviceConfig, saveDeviceConfig, type DeviceConfig } from '../../src/device-config/index.js';
import { deviceConfig, tempDir } from './helpers.js';

test('a partial config file is merged over the defaults', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify({ version: 2, hotspot: { ssid: 'Kimpese' }, captivePortal: false }));
  const config = await loadDeviceConfig(file);
  t.is(config.hotspot.ssid, 'Kimpese');
  t.is(config.hotspot.channel, 6);
  t.false(config.captivePortal);
  t.is(config.lan.address, '10.0.0.1/24');
});

test('the loaded config is frozen all the way down', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify({ version: 2 }));
  const config = await loadDeviceConfig(file);
  t.true(Object.isFrozen(config));
  t.true(Object.isFrozen(config.hotspot));
  t.throws(() => {
    (config.hotspot as { channel: number }).channel = 1;
  });
});

test('every bad setting of a file is named in one BAD_CONFIG error', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(
    file,
    JSON.stringify({ version: 2, hotspot: { channel: 20, countryCode: 'x' }, link: 'carrier-pigeon' }),
  );
  const error = await t.throwsAsync(loadDeviceConfig(file));
  t.true(isLokoleError(error, 'BAD_CONFIG'));
  t.regex(error?.message ?? '', /3 bad settings/);
  for (const key of ['hotspot.channel', 'hotspot.countryCode', 'link'])
    t.true(error?.message.includes(`${key}:`), key);
  t.true(error?.message.includes(file));
});

test('a missing config file is an error unless defaults are asked for', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  const error = await t.throwsAsync(loadDeviceConfig(file));
  t.is((error as { reason?: string }).reason, 'no-config');
  const config = await loadDeviceConfig(file, { ifMissing: 'defaults' });
  t.is(config.device.name, 'lokole');
});

test('a file that is not JSON is a BAD_CONFIG error naming the file', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, '{ "version": 2,');
  const error = await t.throwsAsync(loadDeviceConfig(file));
  t.true(isLokoleError(error, 'BAD_CONFIG'));
  t.regex(error?.message ?? '', /config\.json is not valid JSON/);
});

test('a config from a newer Lokole is refused with what to do', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify({ version: 9 }));
  const error = await t.throwsAsync(loadDeviceConfig(file));
  t.is((error as { reason?: string }).reason, 'config-too-new');
  t.regex(error?.message ?? '', /update Lokole/);
});

test('a saved config loads back equal', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  const config = await deviceConfig({
    hotspot: { passphrase: 'mbote-na-bino' },
    cloud: { token: 'x'.repeat(40) },
  });
  await saveDeviceConfig(file, config);
  t.deepEqual(await loadDeviceConfig(file), config);
});

test('the saved file is mode 600 (it holds the device token), even over a 644 file', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, '{}');
  await chmod(file, 0o644);
  await saveDeviceConfig(file, await deviceConfig());
  t.is((await stat(file)).mode & 0o777, 0o600);
});

test('saving leaves no temp file beside the config', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'config.json');
  await saveDeviceConfig(file, await deviceConfig());
  await saveDeviceConfig(file, await deviceConfig({ hotspot: { channel: 11 } }));
  t.deepEqual(await readdir(dir), ['config.json']);
});

test('an invalid config is not saved and the old file stays', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await saveDeviceConfig(file, await deviceConfig());
  const before = await readFile(file, 'utf8');
  const bad = {
    ...(await deviceConfig()),
    hotspot: { ssid: 'Lokole', passphrase: 'short', channel: 6, countryCode: 'CD' },
  };
  const error = await t.throwsAsync(saveDeviceConfig(file, bad as DeviceConfig));
  t.true(isLokoleError(error, 'INVALID_INPUT'));
  t.regex(error?.message ?? '', /hotspot\.passphrase/);
  t.is(await readFile(file, 'utf8'), before);
});

test('the saved file carries the current version', async (t) => {
  const file = path.join(await tempDir(t), 'config.json');
  await saveDeviceConfig(file, await deviceConfig());
  t.is(JSON.parse(await readFile(file, 'utf8')).version, 2);
});
