import { selectFirst, type Db } from './connection.js';

/** The stored session (JSON) for `sid` unless it has expired; the table is connect-session-knex's. */
export async function findSession(db: Db, sid: string, now: Date): Promise<string | undefined> {
  const row = await selectFirst<{ sess: string }>(
    db,
    'SELECT sess FROM sessions WHERE sid = ? AND datetime(?) <= datetime(expired)',
    [sid, now.toISOString()],
  );
  return row?.sess;
}
