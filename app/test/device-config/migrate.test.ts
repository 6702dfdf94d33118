import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { loadDeviceConfig, migrateDeviceConfig, parseSettingsEnv } from '../../src/device-config/index.js';
import { tempDir } from './helpers.js';

// As the original's install.py and settings form left it on a box (original-lokole.md §2, §5).
const SETTINGS_ENV = `# Lokole settings
OPWEN_SESSION_KEY=3f9a0c2be1d47a6f
OPWEN_SETTINGS_VERSION=0.9.2
OPWEN_CLIENT_NAME=Kinshasa
OPWEN_CLIENT_ID=0b8e1a7e-11f6-4bb7-a2c6-6cf0b1d9c1a4
OPWEN_ROOT_DOMAIN=lokole.ca
OPWEN_EMAIL_SERVER_HOSTNAME=mailserver.lokole.ca
OPWEN_REMOTE_ACCOUNT_NAME=ascoderu
OPWEN_REMOTE_ACCOUNT_KEY="c2VjcmV0LXN0b3JhZ2Uta2V5"
OPWEN_SIM_TYPE=hologram
OPWEN_SYNC_SCHEDULE="30 1 * * *"
OPWEN_MAX_UPLOAD_SIZE_MB=2
`;

async function writeV1(t: Parameters<typeof tempDir>[0], settings: Record<string, string>): Promise<string> {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify(settings));
  return file;
}

test('settings.env is read into its variables, quotes and comments removed', (t) => {
  const settings = parseSettingsEnv(SETTINGS_ENV);
  t.is(settings['OPWEN_SYNC_SCHEDULE'], '30 1 * * *');
  t.is(settings['OPWEN_CLIENT_NAME'], 'Kinshasa');
  t.is(settings['OPWEN_REMOTE_ACCOUNT_KEY'], 'c2VjcmV0LXN0b3JhZ2Uta2V5');
  t.false('# Lokole settings' in settings);
});

test('an original Hologram box loads as a modem device with its name and schedule', async (t) => {
  const file = await writeV1(t, parseSettingsEnv(SETTINGS_ENV));
  const config = await loadDeviceConfig(file);
  t.is(config.version, 2);
  t.is(config.device.name, 'kinshasa');
  t.is(config.link, 'modem');
  t.is(config.modem.apn, 'apn.konekt.io');
  t.is(config.modem.phone, '*99***1#');
  t.is(config.sync.schedule, '30 1 * * *');
  t.is(config.attachmentThresholdKb, 2048);
  t.is(config.photoPolicy, 'thumbnail-200');
  t.is(config.cloud.token, null);
});

test('migrating says what was dropped without repeating any secret', async (t) => {
  const notes: string[] = [];
  await loadDeviceConfig(await writeV1(t, parseSettingsEnv(SETTINGS_ENV)), {
    onNote: (note) => notes.push(note),
  });
  const all = notes.join('\n');
  t.regex(all, /register the device with the Lokole cloud/);
  t.regex(all, /OPWEN_REMOTE_ACCOUNT_KEY/);
  t.false(all.includes('c2VjcmV0LXN0b3JhZ2Uta2V5'));
  t.false(all.includes('3f9a0c2be1d47a6f'));
});

test('a LocalOnly box becomes offline only with no link', async (t) => {
  const config = await loadDeviceConfig(
    await writeV1(t, { OPWEN_CLIENT_NAME: 'bukavu', OPWEN_SIM_TYPE: 'LocalOnly' }),
  );
  t.is(config.link, 'none');
  t.true(config.cloud.offlineOnly);
});

test('an Ethernet box keeps its ethernet link', async (t) => {
  const config = await loadDeviceConfig(await writeV1(t, { OPWEN_SIM_TYPE: 'Ethernet' }));
  t.is(config.link, 'ethernet');
});

test('a wvdial box becomes a modem device with a note to enter the APN', (t) => {
  const migration = migrateDeviceConfig({ OPWEN_SIM_TYPE: 'wvdial' });
  t.is(migration.fromVersion, 1);
  t.is(migration.config['link'], 'modem');
  t.regex(migration.notes.join(), /enter the APN/);
});

test('an empty old schedule keeps the default one', async (t) => {
  const config = await loadDeviceConfig(await writeV1(t, { OPWEN_SYNC_SCHEDULE: '' }));
  t.is(config.sync.schedule, '0 2 * * *');
});

test('a bad old schedule is reported as a bad sync.schedule', async (t) => {
  const error = await t.throwsAsync(loadDeviceConfig(await writeV1(t, { OPWEN_SYNC_SCHEDULE: '0 2 * *' })));
  t.true(isLokoleError(error, 'BAD_CONFIG'));
  t.regex(error?.message ?? '', /sync\.schedule: .*"0 2 \* \*"/);
});

test('a current config passes through unchanged', (t) => {
  const raw = { version: 2, captivePortal: false };
  t.deepEqual(migrateDeviceConfig(raw), { config: raw, fromVersion: 2, notes: [] });
});
