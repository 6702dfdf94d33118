import test from 'ava';
import { isLokoleError, type LokoleError } from '@lokole/protocol';
import {
  ensureModemMode,
  loadModemTable,
  switchToModemMode,
  type CommandRunner,
  type CommandResult,
  type Discovery,
  type UsbStick,
} from '../../src/modem/index.js';

const table = await loadModemTable();

function stick(productId: string, mode: UsbStick['mode']): UsbStick {
  const port = {
    tty: 'ttyUSB0',
    devicePath: '/dev/ttyUSB0',
    byIdPath: undefined,
    interfaceNumber: 0,
    role: 'modem' as const,
  };
  return {
    usbName: '1-1',
    vendorId: '12d1',
    productId,
    model: undefined,
    product: undefined,
    mode,
    busNumber: 1,
    deviceNumber: 5,
    ports: mode === 'modem' ? [port] : [],
    modemPort: mode === 'modem' ? port : undefined,
    pcuiPort: undefined,
    netInterface: undefined,
  };
}

const done: CommandResult = { exitCode: 0, stdout: '', stderr: '', timedOut: false, failure: undefined };

function recordingRunner(result: Partial<CommandResult> = {}) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number }[] = [];
  const run: CommandRunner = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options.timeoutMs });
    return { ...done, ...result };
  };
  return { run, calls };
}

test('an E303 in storage mode is switched with its message, on its own bus and device, with a timeout', async (t) => {
  const { run, calls } = recordingRunner();
  await switchToModemMode(stick('14fe', 'storage'), { table, run, timeoutMs: 7000 });
  t.deepEqual(calls, [
    {
      file: 'usb_modeswitch',
      args: [
        '-v',
        '0x12d1',
        '-p',
        '0x14fe',
        '-V',
        '0x12d1',
        '-P',
        '0x1506',
        '-M',
        '55534243123456780000000000000011062000000101000100000000000000',
        '-b',
        '1',
        '-g',
        '5',
      ],
      timeoutMs: 7000,
    },
  ]);
});

test('a usb_modeswitch that times out is reported with what to do', async (t) => {
  const { run } = recordingRunner({ timedOut: true, exitCode: undefined });
  const error = await t.throwsAsync<LokoleError>(switchToModemMode(stick('1f01', 'storage'), { table, run }));
  t.is(error?.reason, 'modeswitch-timeout');
  t.regex(error?.message ?? '', /did not finish within 20 s: unplug the stick/);
});

test('a failing or missing usb_modeswitch is reported', async (t) => {
  const failing = recordingRunner({ exitCode: 1, stderr: 'Error: could not find default device' });
  const error = await t.throwsAsync<LokoleError>(
    switchToModemMode(stick('155b', 'storage'), { table, run: failing.run }),
  );
  t.regex(error?.message ?? '', /exit code 1: Error: could not find default device/);
  const missing = recordingRunner({ exitCode: undefined, failure: 'spawn usb_modeswitch ENOENT' });
  const absent = await t.throwsAsync<LokoleError>(
    switchToModemMode(stick('155b', 'storage'), { table, run: missing.run }),
  );
  t.is(absent?.reason, 'modeswitch-missing');
});

test('a stick without a known switch message is unsupported', async (t) => {
  const { run, calls } = recordingRunner();
  const error = await t.throwsAsync<LokoleError>(switchToModemMode(stick('abcd', 'storage'), { table, run }));
  t.true(isLokoleError(error, 'UNSUPPORTED'));
  t.is(calls.length, 0);
});

test('ensureModemMode switches a storage stick and waits for it to come back as a modem', async (t) => {
  const { run, calls } = recordingRunner();
  const seen: Discovery[] = [
    { sticks: [], stick: stick('14fe', 'storage') },
    { sticks: [], stick: stick('14fe', 'storage') },
    { sticks: [], stick: stick('1506', 'modem') },
  ];
  const result = await ensureModemMode({
    table,
    run,
    discover: async () => seen.shift() ?? seen[0]!,
    pollMs: 5,
  });
  t.is(result.productId, '1506');
  t.is(calls.length, 1);
});

test('ensureModemMode gives up after its settle timeout and refuses HiLink sticks', async (t) => {
  const { run } = recordingRunner();
  const stuck = await t.throwsAsync<LokoleError>(
    ensureModemMode({
      table,
      run,
      discover: async () => ({ sticks: [], stick: stick('14fe', 'storage') }),
      pollMs: 5,
      settleTimeoutMs: 50,
    }),
  );
  t.is(stuck?.reason, 'modeswitch-no-modem');
  const hilink = await t.throwsAsync<LokoleError>(
    ensureModemMode({ table, run, discover: async () => ({ sticks: [], stick: stick('14db', 'hilink') }) }),
  );
  t.is(hilink?.reason, 'hilink');
});
