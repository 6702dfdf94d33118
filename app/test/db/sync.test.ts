import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { migrateDatabase, openDatabase } from '../../src/db/index.js';
import { createSyncLog, listSyncRuns } from '../../src/db/sync.js';
import type { SyncRunRecord } from '../../src/sync/index.js';

test('the sync log keeps the socket bytes next to what the modem link counted at dial time', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-sync-log-'));
  const db = await openDatabase(path.join(dir, 'lokole.sqlite3'));
  t.teardown(async () => {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  });
  await migrateDatabase(db);
  const log = createSyncLog(db);
  const id = await log.start('2026-11-02T02:00:00.000Z');
  const run: SyncRunRecord = {
    startedAt: '2026-11-02T02:00:00.000Z',
    finishedAt: '2026-11-02T02:01:10.000Z',
    status: 'failed',
    bytesUp: 2100,
    bytesDown: 3400,
    emailsUp: 1,
    emailsDown: 0,
    steps: [{ step: 'download', ms: 900, error: 'The cloud did not answer within 30 s.' }],
    clockOffsetMs: undefined,
    link: {
      kind: 'modem',
      upMs: 14000,
      connectedMs: 56000,
      bytes: { rx: 4242, tx: 1717 },
      conditions: { signal: { dbm: -83, bars: 3 }, operator: 'Vodacom CD', problems: [] },
      warnings: [],
    } as unknown as SyncRunRecord['link'],
  };
  await log.finish(id, run);
  const [row] = await listSyncRuns(db);
  t.like(row, { status: 'failed', bytesUp: 2100, bytesDown: 3400, steps: run.steps });
  t.deepEqual(row?.link, run.link);
});
