import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { createAlwaysOnLink } from '../../src/link/index.js';

async function writeCounters(dir: string, rx: number, tx: number) {
  await mkdir(path.join(dir, 'eth0/statistics'), { recursive: true });
  await writeFile(path.join(dir, 'eth0/statistics/rx_bytes'), `${rx}\n`);
  await writeFile(path.join(dir, 'eth0/statistics/tx_bytes'), `${tx}\n`);
}

test('an always-on link counts the bytes of the session on its interface', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-net-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeCounters(dir, 1000, 500);
  let clock = 0;
  const link = createAlwaysOnLink({ interfaceName: 'eth0', netClassDir: dir, now: () => new Date(clock) });
  const session = await link.up();
  await writeCounters(dir, 4000, 900);
  clock = 2500;
  const report = await link.down(session);
  t.is(link.kind, 'ethernet');
  t.deepEqual(report.bytes, { rx: 3000, tx: 400 });
  t.is(report.connectedMs, 2500);
  t.is(report.upMs, 0);
});

test('without an interface, or when it does not exist, bytes are unknown rather than zero', async (t) => {
  const link = createAlwaysOnLink();
  t.is((await link.down(await link.up())).bytes, undefined);
  const missing = createAlwaysOnLink({ interfaceName: 'eth9', netClassDir: '/nonexistent' });
  t.is((await missing.down(await missing.up())).bytes, undefined);
});
