// The device's sources are compiled here too, with the types app/ declares for better-sqlite3.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../app/src/db/better-sqlite3.d.ts" />
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ExecutionContext } from 'ava';
import { loadConfig } from '../../../app/src/config.js';
import { migrateDatabase, openDatabase } from '../../../app/src/db/index.js';
import { createMailServices } from '../../../app/src/services.js';
import type { TestCloud } from './cloud.js';

// The sources, not app/bin (which may pick a stale or relocated bundle): the code under test.
const LOKOLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../app/src/cli/lokole.ts');

export interface SyncExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A registered device with its own data folder, talking to the cloud at `url` (the cloud's own,
 * or a proxy in front of it); `lokole sync` runs as its own process, as the timer starts it.
 */
export async function startDevice(t: ExecutionContext, cloud: TestCloud, name: string, url = cloud.url) {
  const registered = await cloud.cloud.devices.register(name);
  const dir = await mkdtemp(path.join(os.tmpdir(), `lokole-device-${name}-`));
  const env = { LOKOLE_DATA_DIR: dir, LOKOLE_DEVICE_NAME: name, LOG_LEVEL: 'silent' };
  const config = loadConfig(env);
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      version: 2,
      device: { name, rootDomain: 'lokole.ca' },
      cloud: { offlineOnly: false, url, deviceId: registered.id, token: registered.token },
      link: 'ethernet',
    }),
  );
  const db = await openDatabase(config.databaseFile);
  await migrateDatabase(db);
  const running = new Set<ChildProcess>();
  t.teardown(async () => {
    for (const child of running) child.kill('SIGKILL');
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  const now = () => new Date();
  const { files, accounts, mail } = createMailServices(db, config, now);

  function start(): { child: ChildProcess; done: Promise<SyncExit> } {
    const child = spawn(process.execPath, ['--import=tsx', LOKOLE, 'sync'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<SyncExit>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        running.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, done };
  }

  return {
    id: registered.id,
    name,
    dir,
    syncDir: path.join(dir, 'sync'),
    db,
    files,
    accounts,
    mail,
    /** Starts `lokole sync`; the caller may kill it. */
    start,
    /** `lokole sync` once, as its own process; fails when it does. */
    async sync(extra: string[] = []) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import=tsx', LOKOLE, 'sync', ...extra],
        {
          env: { ...process.env, ...env },
        },
      );
      return stdout;
    },
    /** Runs `lokole sync` until it exits 0, at most `attempts` times; returns every exit. */
    async syncUntilDone(attempts = 5): Promise<SyncExit[]> {
      const exits: SyncExit[] = [];
      for (let i = 0; i < attempts; i += 1) {
        const exit = await start().done;
        exits.push(exit);
        if (exit.code === 0) return exits;
      }
      throw new Error(
        `lokole sync failed ${attempts} times; last: ${exits.at(-1)?.stderr.trim() || exits.at(-1)?.signal}`,
      );
    },
  };
}

export type TestDevice = Awaited<ReturnType<typeof startDevice>>;

/** The subjects in a user's inbox on the device. */
export async function inboxSubjects(device: TestDevice, address: string): Promise<string[]> {
  const rows = (await device
    .db('mailboxes as m')
    .join('users as u', 'u.id', 'm.user_id')
    .join('emails as e', 'e.id', 'm.email_id')
    .where('u.address', address)
    .where('m.folder', 'inbox')
    .select('e.subject')) as Array<{ subject: string }>;
  return rows.map((row) => row.subject).sort();
}
