import test from 'ava';
import { describeStick, discoverModems, loadModemTable, portPath } from '../../src/modem/index.js';
import { buildSysfs, E303_MODEM } from './sysfs-fixture.js';

const table = await loadModemTable();

test('an E303 in modem mode: interface 0 is the modem port, interface 2 the PCUI port, by-id paths preferred', async (t) => {
  const dirs = await buildSysfs(t, [E303_MODEM]);
  const { stick, sticks } = await discoverModems({ table, ...dirs });
  t.is(sticks.length, 1);
  t.like(stick, {
    vendorId: '12d1',
    productId: '1506',
    model: 'E303',
    mode: 'modem',
    busNumber: 1,
    deviceNumber: 4,
  });
  t.is(stick?.modemPort?.tty, 'ttyUSB0');
  t.is(stick?.pcuiPort?.tty, 'ttyUSB2');
  t.is(stick?.ports.find((port) => port.tty === 'ttyUSB1')?.role, 'diag');
  t.is(portPath(stick!.pcuiPort!), `${dirs.byIdDir}/usb-HUAWEI_HUAWEI_Mobile-if02-port0`);
  t.is(stick?.modemPort?.devicePath, `${dirs.devDir}/ttyUSB0`);
});

test('ports are told apart by interface, not by ttyUSB number', async (t) => {
  const dirs = await buildSysfs(t, [
    {
      ...E303_MODEM,
      interfaces: [
        { number: 0, tty: 'ttyUSB3' },
        { number: 1, tty: 'ttyUSB4' },
        { number: 2, tty: 'ttyUSB5' },
      ],
    },
  ]);
  const { stick } = await discoverModems({ table, ...dirs });
  t.is(stick?.modemPort?.tty, 'ttyUSB3');
  t.is(stick?.pcuiPort?.tty, 'ttyUSB5');
});

test('newer firmware’s interface protocol labels win over interface order', async (t) => {
  const dirs = await buildSysfs(t, [
    {
      usb: '1-1',
      vendorId: '12d1',
      productId: '1001',
      interfaces: [
        { number: 0, tty: 'ttyUSB0', ids: ['ff', '02', '02'] },
        { number: 2, tty: 'ttyUSB1', ids: ['ff', '02', '01'] },
      ],
    },
  ]);
  const { stick } = await discoverModems({ table, ...dirs });
  t.is(stick?.pcuiPort?.tty, 'ttyUSB0');
  t.is(stick?.modemPort?.tty, 'ttyUSB1');
});

test('a stick in storage mode is recognised and explained', async (t) => {
  const dirs = await buildSysfs(t, [
    { usb: '1-1', vendorId: '12d1', productId: '14fe', interfaces: [{ number: 0 }] },
  ]);
  const { stick } = await discoverModems({ table, ...dirs });
  t.like(stick, { mode: 'storage', model: 'E303', modemPort: undefined });
  t.regex(describeStick(stick), /storage mode .*usb_modeswitch/);
});

test('a stick in HiLink mode is recognised with its network interface', async (t) => {
  const dirs = await buildSysfs(t, [
    {
      usb: '1-1',
      vendorId: '12d1',
      productId: '14dc',
      interfaces: [{ number: 0, net: 'eth1' }, { number: 1 }],
    },
  ]);
  const { stick } = await discoverModems({ table, ...dirs });
  t.like(stick, { mode: 'hilink', netInterface: 'eth1', ports: [] });
  t.regex(describeStick(stick), /HiLink mode: it works as a network card \(eth1\) with no AT commands/);
});

test('the modem-mode stick is chosen over another in storage mode', async (t) => {
  const dirs = await buildSysfs(t, [
    { usb: '1-1.2', vendorId: '12d1', productId: '1f01', interfaces: [{ number: 0 }] },
    { ...E303_MODEM, usb: '1-1.4' },
  ]);
  const { stick, sticks } = await discoverModems({ table, ...dirs });
  t.is(sticks.length, 2);
  t.is(stick?.usbName, '1-1.4');
});

test('no stick and no sysfs at all give no modem and a sentence, not an error', async (t) => {
  const discovery = await discoverModems({
    table,
    sysfsRoot: '/nonexistent/sys',
    byIdDir: '/nonexistent/by-id',
  });
  t.deepEqual(discovery, { sticks: [], stick: undefined });
  t.regex(describeStick(undefined), /No USB modem found/);
});

test('USB devices of other vendors are ignored', async (t) => {
  const dirs = await buildSysfs(t, [
    { usb: '1-1', vendorId: '0424', productId: 'ec00', interfaces: [{ number: 0 }] },
  ]);
  t.is((await discoverModems({ table, ...dirs })).stick, undefined);
});
