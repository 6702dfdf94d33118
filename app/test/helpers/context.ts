import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { loadConfig, type Config } from '../../src/config.js';
import { migrateDatabase, openDatabase, type Db } from '../../src/db/index.js';
import { createMailServices } from '../../src/services.js';

export const DOMAIN = 'kinshasa.lokole.ca';

/** A migrated SQLite database and data dir in a temp folder, removed after the test. */
export async function createTestContext(t: ExecutionContext, env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-app-'));
  const config: Config = loadConfig({
    LOKOLE_DATA_DIR: dir,
    LOKOLE_DEVICE_NAME: 'kinshasa',
    LOKOLE_NEWS_SENDERS: 'editor@radio.cd',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const db: Db = await openDatabase(config.databaseFile);
  await migrateDatabase(db);
  t.teardown(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  let clock = new Date('2026-11-02T08:00:00Z');
  const now = () => new Date(clock);
  const { files, accounts, mail } = createMailServices(db, config, now);
  return {
    dir,
    config,
    db,
    files,
    accounts,
    mail,
    now,
    /** Moves the test clock forward. */
    advance(minutes: number) {
      clock = new Date(clock.getTime() + minutes * 60_000);
    },
    async user(name: string, role: 'user' | 'admin' = 'user') {
      return role === 'admin'
        ? accounts.createAdmin(name, 'correct horse')
        : accounts.signUp(name, 'correct horse', 'correct horse');
    },
  };
}

export type TestContext = Awaited<ReturnType<typeof createTestContext>>;
