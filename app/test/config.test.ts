import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import { loadConfig, nextSyncTime } from '../src/config.js';

test('defaults give a development config under app/data with the device domain', (t) => {
  const config = loadConfig({ LOKOLE_DEVICE_NAME: 'Kinshasa' });
  t.is(config.domain, 'kinshasa.lokole.ca');
  t.is(config.port, 8080);
  t.regex(config.dataDir, /app\/data$/);
  t.is(config.maxUploadBytes, 25 * 1024 * 1024);
  t.is(config.syncSchedule, '0 2 * * *');
  t.deepEqual(config.newsSenders, []);
  t.true(Object.isFrozen(config));
});

test('every bad variable is named at once', (t) => {
  const error = t.throws(() =>
    loadConfig({
      LOKOLE_DEVICE_NAME: 'not a name',
      PORT: 'eighty',
      LOKOLE_NEWS_SENDERS: 'ok@radio.cd, nope',
      LOKOLE_MAX_UPLOAD_MB: '0',
      LOKOLE_SYNC_SCHEDULE: '61 2 * * *',
      LOG_LEVEL: 'loud',
    }),
  );
  t.true(isLokoleError(error, 'BAD_CONFIG'));
  for (const name of [
    'LOKOLE_DEVICE_NAME',
    'PORT',
    'LOKOLE_NEWS_SENDERS',
    'LOKOLE_MAX_UPLOAD_MB',
    'LOKOLE_SYNC_SCHEDULE',
    'LOG_LEVEL',
  ]) {
    t.true(error!.message.includes(name), name);
  }
});

test('production needs a device name and defaults to /var/lib/lokole on port 80', (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), { message: /LOKOLE_DEVICE_NAME is required/ });
  const config = loadConfig({
    NODE_ENV: 'production',
    LOKOLE_DEVICE_NAME: 'goma',
    LOKOLE_NEWS_SENDERS: 'A@Radio.cd',
  });
  t.is(config.dataDir, '/var/lib/lokole');
  t.is(config.port, 80);
  t.deepEqual(config.newsSenders, ['a@radio.cd']);
});

test('the next sync time follows the cron schedule', (t) => {
  const next = nextSyncTime('0 2 * * *', new Date(2026, 10, 2, 8, 0));
  t.deepEqual([next.getDate(), next.getHours(), next.getMinutes()], [3, 2, 0]);
});
