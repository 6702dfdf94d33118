import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type LokoleError } from '@lokole/protocol';
import { startFakeModemPty } from '../../../scripts/fake-modem/pty-server.js';
import type { FakeModemState } from '../../../scripts/fake-modem/responder.js';
import { createAtClient } from '../../src/modem/index.js';
import { openSerialTransport } from '../../src/serial/index.js';
import { requireTools } from '../modem/system-tools.js';

async function fakeModemOnPty(t: ExecutionContext, state: FakeModemState) {
  if (!(await requireTools(t, ['socat']))) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-pty-'));
  const pty = await startFakeModemPty({ state, link: path.join(dir, 'ttyLokole') });
  t.teardown(async () => {
    await pty.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return pty;
}

test('the native serial binding talks to the fake modem over a pseudo-terminal', async (t) => {
  const pty = await fakeModemOnPty(t, 'healthy');
  if (!pty) return;
  const transport = await openSerialTransport({ path: pty.devicePath });
  const client = createAtClient(transport);
  t.teardown(() => client.close());
  await client.initialize();
  t.deepEqual((await client.command('AT+CSQ')).lines, ['+CSQ: 17,99']);
  t.deepEqual((await client.command('AT+CIMI')).lines, ['630011234567890']);
  t.deepEqual(pty.received, ['ATE0', 'AT+CMEE=1', 'AT^CURC=0', 'AT+CSQ', 'AT+CIMI']);
});

test('a USSD answer in UCS2 arrives through the pseudo-terminal intact', async (t) => {
  const pty = await fakeModemOnPty(t, 'ussd-ucs2');
  if (!pty) return;
  const client = createAtClient(await openSerialTransport({ path: pty.devicePath }));
  t.teardown(() => client.close());
  await client.initialize();
  const answer = client.waitUrc('+CUSD:', { timeoutMs: 2000 });
  await client.command('AT+CUSD=1,"AA986C3602",15', { expectPrefix: null });
  t.is(await answer, '+CUSD: 0,"0043007200E9006400690074003A00200033002C00350030002400202713",72');
});

test('a port opened twice is refused as busy with what to check', async (t) => {
  const pty = await fakeModemOnPty(t, 'healthy');
  if (!pty) return;
  const first = await openSerialTransport({ path: pty.devicePath });
  t.teardown(() => first.close());
  const error = await t.throwsAsync<LokoleError>(openSerialTransport({ path: pty.devicePath }));
  t.is(error?.reason, 'port-busy');
  t.regex(error?.message ?? '', /in use by another program/);
});

test('a missing device says the stick may be unplugged or in the wrong mode', async (t) => {
  const error = await t.throwsAsync<LokoleError>(openSerialTransport({ path: '/dev/ttyUSB97' }));
  t.is(error?.code, 'UNAVAILABLE');
  t.is(error?.reason, 'port-missing');
  t.is(
    error?.message,
    'No modem answers on /dev/ttyUSB97: the stick may be unplugged, still in storage mode, or in HiLink mode. Open Modem diagnostics to see which.',
  );
});
