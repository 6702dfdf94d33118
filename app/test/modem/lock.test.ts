import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type LokoleError } from '@lokole/protocol';
import { assertNotDialing, checkDialLock } from '../../src/modem/index.js';

async function dirs(t: ExecutionContext) {
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-lock-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const options = {
    netClassDir: path.join(root, 'net'),
    lockDir: path.join(root, 'lock'),
    procDir: path.join(root, 'proc'),
  };
  for (const dir of Object.values(options)) await mkdir(dir, { recursive: true });
  return options;
}

test('nothing dialing: no ppp0, no wvdial, no live lock file', async (t) => {
  const options = await dirs(t);
  await mkdir(path.join(options.procDir, '100'));
  await writeFile(path.join(options.procDir, '100', 'comm'), 'node\n');
  // A lock file whose pppd is dead is stale.
  await writeFile(path.join(options.lockDir, 'LCK..ttyUSB0'), '      4242\n');
  t.deepEqual(await checkDialLock(options), { isDialing: false, evidence: [] });
  await t.notThrowsAsync(assertNotDialing(options));
});

test('ppp0, a wvdial process and a held lock file each mean a dial is running', async (t) => {
  const options = await dirs(t);
  await mkdir(path.join(options.netClassDir, 'ppp0'));
  await mkdir(path.join(options.procDir, '4242'));
  await writeFile(path.join(options.procDir, '4242', 'comm'), 'wvdial\n');
  await writeFile(path.join(options.lockDir, 'LCK..ttyUSB0'), '      4242\n');
  const state = await checkDialLock(options);
  t.true(state.isDialing);
  t.deepEqual(state.evidence, [
    'ppp0 exists',
    'wvdial is running (pid 4242)',
    `${path.join(options.lockDir, 'LCK..ttyUSB0')} is held by pid 4242`,
  ]);
  const error = await t.throwsAsync<LokoleError>(assertNotDialing(options));
  t.is(error?.reason, 'dial-running');
  t.regex(error?.message ?? '', /A sync is using the modem .*available again when it hangs up/);
});
