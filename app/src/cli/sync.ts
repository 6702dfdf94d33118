import path from 'node:path';
import { EXIT, LokoleError } from '@lokole/protocol';
import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/index.js';
import { createSyncLog, createSyncMail } from '../db/sync.js';
import { loadDeviceConfig } from '../device-config/index.js';
import { createNoLink } from '../link/index.js';
import { createModemAccess, linkForDevice } from '../device-link.js';
import { createLogger } from '../log.js';
import { createAttachmentFiles } from '../mail/index.js';
import { createHttpClient } from '../sync-client/index.js';
import { createOffsetClock, requestFullFile, runSync as sync } from '../sync/index.js';
import type { CliIo } from './run.js';

const USAGE = 'Usage: lokole sync [--request SHA256]   (the settings come from <data dir>/config.json)\n';

/** `lokole sync`: link up, one sync, link down; a composition root. */
export async function runSync(argv: string[], io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const dir = path.join(config.dataDir, 'sync');
  if (argv[0] === '--request') {
    if (!/^[0-9a-f]{64}$/.test(argv[1] ?? '')) {
      io.stderr.write(USAGE);
      return EXIT.usage;
    }
    await requestFullFile(dir, argv[1]!);
    io.stdout.write('The file will be asked for in the next sync and arrive in the one after.\n');
    return EXIT.ok;
  }
  if (argv.length > 0) {
    io.stderr.write(USAGE);
    return EXIT.usage;
  }
  const device = await loadDeviceConfig(path.join(config.dataDir, 'config.json'));
  const chosen = linkForDevice(device, {
    config,
    modem: await createModemAccess(config),
    now: () => new Date(),
  });
  if ('unavailable' in chosen) {
    if (chosen.unavailable === 'local-only') await createNoLink().up(); // throws LINK_DOWN with the sentence for the technician
    throw new LokoleError(
      'BAD_CONFIG',
      'The modem has no APN set: enter the APN of the SIM card in the settings (it is on the SIM packaging).',
      { reason: 'no-apn' },
    );
  }
  if (!device.cloud.token || !device.cloud.deviceId) {
    throw new LokoleError(
      'BAD_CONFIG',
      'This Lokole is not registered with the cloud yet: register it in the setup wizard.',
      {
        reason: 'not-registered',
      },
    );
  }
  const log = createLogger(config.logLevel).child({ component: 'sync' });
  const { link } = chosen;
  const db = await openDatabase(config.databaseFile);
  try {
    await migrateDatabase(db);
    const clock = await createOffsetClock(path.join(dir, 'clock.json'));
    const files = createAttachmentFiles(config.attachmentsDir);
    const result = await sync({
      dir,
      deviceId: device.cloud.deviceId,
      api: createHttpClient({ url: device.cloud.url, token: device.cloud.token }),
      link,
      mail: createSyncMail(db, {
        files,
        domain: config.domain,
        newsSenders: config.newsSenders,
        now: clock.now,
      }),
      files,
      clock,
      log,
      syncLog: createSyncLog(db),
    });
    io.stdout.write(
      `Sync done: ${result.emailsUp} up, ${result.emailsDown} down, ${result.bytesUp + result.bytesDown} bytes.\n`,
    );
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}
