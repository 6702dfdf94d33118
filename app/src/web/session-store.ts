import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { SessionData } from 'express-session';
import { findSession, type Db } from '../db/index.js';

/** Sessions in the device's SQLite (table `sessions`, made by the migrations); expired ones swept hourly. */
export function createSessionStore(
  db: Db,
  options: { cleanupIntervalMs?: number } = {},
): ConnectSessionKnexStore {
  const store = new ConnectSessionKnexStore({
    knex: db,
    tableName: 'sessions',
    createTable: false,
    cleanupInterval: options.cleanupIntervalMs ?? 60 * 60 * 1000,
  });
  // Every request reads its session: a prepared statement rather than knex's query builder.
  // Same rows and the same expiry test as the store's own get().
  store.get = async (sid, callback) => {
    try {
      const sess = await findSession(db, sid, new Date());
      const session = sess === undefined ? null : (JSON.parse(sess) as SessionData);
      callback?.(null, session);
      return session;
    } catch (error) {
      callback?.(error);
      throw error;
    }
  };
  // express-session touches an unchanged session after every request: a database write per
  // page view. Extending the expiry once a day is enough for a 30-day session.
  const touch = store.touch.bind(store);
  const lastTouch = new Map<string, number>();
  store.touch = async (sid, session, callback) => {
    const now = Date.now();
    if (now - (lastTouch.get(sid) ?? 0) < 24 * 3600 * 1000) {
      callback?.();
      return;
    }
    if (lastTouch.size > 10_000) lastTouch.clear();
    lastTouch.set(sid, now);
    await touch(sid, session, callback);
  };
  return store;
}

/** The session secret: LOKOLE_SESSION_SECRET, else generated once into `<data dir>/session-secret` (0600). */
export async function loadSessionSecret(dataDir: string, given?: string): Promise<string> {
  if (given) return given;
  const file = path.join(dataDir, 'session-secret');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing && existing.trim().length >= 32) return existing.trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  await writeFile(`${file}.tmp`, secret, { mode: 0o600 });
  await chmod(`${file}.tmp`, 0o600);
  await rename(`${file}.tmp`, file);
  return secret;
}
