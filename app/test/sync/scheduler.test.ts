import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { nextSyncTime } from '../../src/config.js';
import { createSyncScheduler } from '../../src/sync/scheduler.js';

async function setup(t: ExecutionContext, start: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-scheduler-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  let clock = new Date(start);
  const runs: string[] = [];
  let release: () => void = () => {};
  const scheduler = createSyncScheduler({
    nextRun: (now) => nextSyncTime('0 2 * * *', now),
    requestFile: path.join(dir, 'sync-request'),
    runSync: async (reason) => {
      runs.push(reason);
      await new Promise<void>((resolve) => (release = resolve));
    },
    now: () => clock,
    pollMs: 10,
  });
  t.teardown(() => scheduler.stop());
  return {
    dir,
    runs,
    scheduler,
    release: () => release(),
    setClock: (iso: string) => (clock = new Date(iso)),
  };
}

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

test('a sync starts when the schedule falls due, not before, and the next one is planned', async (t) => {
  const s = await setup(t, '2026-11-02T01:59:00Z');
  t.is(s.scheduler.next().toISOString(), '2026-11-02T02:00:00.000Z');
  await settle();
  t.deepEqual(s.runs, []);
  s.setClock('2026-11-02T02:00:01Z');
  await settle();
  t.deepEqual(s.runs, ['schedule']);
  t.is(s.scheduler.next().toISOString(), '2026-11-03T02:00:00.000Z');
  s.release();
});

test('"sync now" (the request file) starts a sync at once and the file is removed', async (t) => {
  const s = await setup(t, '2026-11-02T10:00:00Z');
  await writeFile(path.join(s.dir, 'sync-request'), '');
  await settle();
  t.deepEqual(s.runs, ['request']);
  await t.throwsAsync(access(path.join(s.dir, 'sync-request')));
  s.release();
});

test('a request while a sync runs waits for it: two syncs never overlap', async (t) => {
  const s = await setup(t, '2026-11-02T10:00:00Z');
  await writeFile(path.join(s.dir, 'sync-request'), '');
  await settle();
  await writeFile(path.join(s.dir, 'sync-request'), '');
  await settle();
  t.deepEqual(s.runs, ['request'], 'the second request is not taken while the first sync runs');
  s.release();
  await settle();
  t.deepEqual(s.runs, ['request', 'request']);
  s.release();
});
