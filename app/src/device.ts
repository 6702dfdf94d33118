import path from 'node:path';
import type { Config } from './config.js';
import { migrateDatabase, openDatabase } from './db/index.js';
import { createMailServices } from './services.js';
import { loadDeviceConfig } from './device-config/index.js';
import { loadCatalogs } from './i18n/index.js';
import { createLogger, type Logger } from './log.js';
import type { AtTransport } from './modem/index.js';
import { createModemAccess, linkForDevice } from './device-link.js';
import { createSystemStatus } from './system/index.js';
import { createSessionStore, createWebApp, loadSessionSecret, type WebAppDeps } from './web/index.js';
import { TRANSLATIONS_DIR } from './paths.js';

export { TRANSLATIONS_DIR };

/**
 * Builds the device's services from a config: the database (migrated), the
 * accounts, the mail and the web app. Shared by `lokole serve`, the tests and
 * the benchmark, so they run the same composition.
 */
export interface DeviceOptions {
  log?: Logger;
  now?: () => Date;
  sessionCleanupMs?: number;
  rateLimits?: WebAppDeps['rateLimits'];
  /** serialport's mock binding with the fake modem, in tests. */
  openModemTransport?: (path: string) => Promise<AtTransport>;
  fetch?: typeof fetch;
}

export type Device = Awaited<ReturnType<typeof createDevice>>;

export async function createDevice(config: Config, options: DeviceOptions = {}) {
  const log = options.log ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const db = await openDatabase(config.databaseFile);
  await migrateDatabase(db);
  const { files, accounts, mail } = createMailServices(db, config, now);
  const modemAccess = await createModemAccess(config, options.openModemTransport);
  const modem = modemAccess.diagnostics;
  // Read at each use: the settings page may have changed them since start.
  const readSettings = () =>
    loadDeviceConfig(path.join(config.dataDir, 'config.json'), { ifMissing: 'defaults' });
  const diagnostics: WebAppDeps['diagnostics'] = {
    modem,
    system: createSystemStatus({ dataDir: config.dataDir, now }),
    ussdCode: async () => (await readSettings()).modem.balanceCode,
    fetch: options.fetch,
    async connection() {
      return linkForDevice(await readSettings(), { config, modem: modemAccess, now });
    },
  };
  const sessionStore = createSessionStore(db, { cleanupIntervalMs: options.sessionCleanupMs });
  const app = createWebApp({
    config,
    db,
    log,
    accounts,
    mail,
    files,
    catalogs: await loadCatalogs(TRANSLATIONS_DIR),
    sessionSecret: await loadSessionSecret(config.dataDir, config.sessionSecret),
    sessionStore,
    now,
    rateLimits: options.rateLimits,
    diagnostics,
  });
  return {
    app,
    db,
    log,
    accounts,
    mail,
    files,
    async close() {
      // The store's sweep timer would keep the process alive.
      clearTimeout((sessionStore as unknown as { nextDbCleanup?: NodeJS.Timeout }).nextDbCleanup);
      await db.destroy();
    },
  };
}
