import test from 'ava';
import { checkDeviceConfig, loadDeviceDefaults } from '../../src/device-config/index.js';
import { rawConfig } from './helpers.js';

test('the shipped defaults are a valid device config', async (t) => {
  const defaults = await loadDeviceDefaults();
  t.is(defaults.lan.address, '10.0.0.1/24');
  t.is(defaults.hotspot.ssid, 'Lokole');
  t.is(defaults.sync.schedule, '0 2 * * *');
});

const rejects = test.macro({
  async exec(t, changes: Record<string, unknown>, path: string, message: RegExp) {
    const { config, problems } = checkDeviceConfig(await rawConfig(changes));
    t.is(config, undefined);
    const problem = problems.find((p) => p.startsWith(`${path}: `));
    t.truthy(problem, `no problem for ${path} in: ${problems.join(' | ')}`);
    t.regex(problem ?? '', message);
  },
  title: (given, _changes, path) => `${given ?? ''} is rejected at ${path}`.trim(),
});

test(
  'a device name with capitals',
  rejects,
  { device: { name: 'Kinshasa' } },
  'device.name',
  /lower-case.*"Kinshasa"/,
);
test('a one-letter device name', rejects, { device: { name: 'k' } }, 'device.name', /2 to 40/);
test('a 41-character device name', rejects, { device: { name: 'k'.repeat(41) } }, 'device.name', /2 to 40/);
test('a device name ending in a dash', rejects, { device: { name: 'kinshasa-' } }, 'device.name', /dash/);
test(
  'a root domain without a dot',
  rejects,
  { device: { rootDomain: 'lokole' } },
  'device.rootDomain',
  /"lokole"/,
);
test(
  'a cloud URL that is not http(s)',
  rejects,
  { cloud: { url: 'ftp://cloud' } },
  'cloud.url',
  /https:\/\//,
);
test(
  'a 7-character WiFi password',
  rejects,
  { hotspot: { passphrase: 'abcdefg' } },
  'hotspot.passphrase',
  /8 to 63.*got 7/,
);
test(
  'a 64-character WiFi password',
  rejects,
  { hotspot: { passphrase: 'a'.repeat(64) } },
  'hotspot.passphrase',
  /8 to 63/,
);
test('WiFi channel 14', rejects, { hotspot: { channel: 14 } }, 'hotspot.channel', /1 to 13 \(got 14\)/);
test('WiFi channel 0', rejects, { hotspot: { channel: 0 } }, 'hotspot.channel', /1 to 13/);
test('a fractional WiFi channel', rejects, { hotspot: { channel: 6.5 } }, 'hotspot.channel', /whole number/);
test(
  'a lower-case country code',
  rejects,
  { hotspot: { countryCode: 'cd' } },
  'hotspot.countryCode',
  /two capital letters/,
);
test(
  'a three-letter country code',
  rejects,
  { hotspot: { countryCode: 'COD' } },
  'hotspot.countryCode',
  /"COD"/,
);
test(
  'an SSID longer than 32 bytes',
  rejects,
  { hotspot: { ssid: 'é'.repeat(17) } },
  'hotspot.ssid',
  /32 bytes/,
);
test(
  'an SSID with a line break',
  rejects,
  { hotspot: { ssid: 'Lokole\nchannel=1' } },
  'hotspot.ssid',
  /one line/,
);
test(
  'a LAN address without a prefix',
  rejects,
  { lan: { address: '10.0.0.1' } },
  'lan.address',
  /10\.0\.0\.1\/24/,
);
test('a LAN prefix of 31', rejects, { lan: { address: '10.0.0.1/31' } }, 'lan.address', /8 to 30/);
test(
  'a LAN address that is the network address',
  rejects,
  { lan: { address: '10.0.0.0/24' } },
  'lan.address',
  /network or broadcast/,
);
test('an octet above 255', rejects, { lan: { address: '10.0.0.300/24' } }, 'lan.address', /IPv4/);
test(
  'a DHCP range outside the LAN',
  rejects,
  { lan: { dhcpStart: '10.0.1.10', dhcpEnd: '10.0.1.20' } },
  'lan.dhcpStart',
  /inside the LAN 10\.0\.0\.1\/24/,
);
test(
  'a DHCP range that runs backwards',
  rejects,
  { lan: { dhcpStart: '10.0.0.200', dhcpEnd: '10.0.0.100' } },
  'lan.dhcpStart',
  /upwards/,
);
test(
  'a DHCP range holding the device address',
  rejects,
  { lan: { dhcpStart: '10.0.0.1', dhcpEnd: '10.0.0.100' } },
  'lan.dhcpStart',
  /own address 10\.0\.0\.1 must be outside/,
);
test(
  'a cron schedule with hour 25',
  rejects,
  { sync: { schedule: '0 25 * * *' } },
  'sync.schedule',
  /"0 25 \* \* \*"/,
);
test(
  'a cron schedule with four fields',
  rejects,
  { sync: { schedule: '0 2 * *' } },
  'sync.schedule',
  /five fields/,
);
test(
  'a cron schedule naming a day of month and a weekday',
  rejects,
  { sync: { schedule: '0 2 1 * 1' } },
  'sync.schedule',
  /"0 2 1 \* 1".*both a day of the month and a day of the week/,
);
test('an unknown time zone', rejects, { timeZone: 'Mars/Olympus' }, 'timeZone', /"Mars\/Olympus"/);
test('an unknown link', rejects, { link: 'wifi' }, 'link', /modem, ethernet, none/);
test('an APN with spaces', rejects, { modem: { apn: 'voda net' } }, 'modem.apn', /"voda net"/);
test('a number to dial with letters', rejects, { modem: { phone: 'ATD99' } }, 'modem.phone', /\*99#/);
test(
  'a balance code that is not a USSD code',
  rejects,
  { modem: { balanceCode: '123' } },
  'modem.balanceCode',
  /like \*123#/,
);
test('an unknown language', rejects, { language: 'de' }, 'language', /en, fr, ln, sw/);
test('a negative price per MB', rejects, { pricePerMb: { amount: -1 } }, 'pricePerMb.amount', /zero or more/);
test(
  'an unknown photo policy',
  rejects,
  { photoPolicy: 'tiny' },
  'photoPolicy',
  /original, downscale-1600, thumbnail-200/,
);
test('a misspelt setting', rejects, { hotspot: { chanel: 6 } }, 'hotspot.chanel', /unknown setting/);

test('every bad setting is reported at once', async (t) => {
  const { problems } = checkDeviceConfig(
    await rawConfig({
      device: { name: 'X' },
      hotspot: { channel: 99, passphrase: 'short' },
      sync: { schedule: 'nope' },
    }),
  );
  t.deepEqual(problems.map((problem) => problem.split(':')[0]).sort(), [
    'device.name',
    'hotspot.channel',
    'hotspot.passphrase',
    'sync.schedule',
  ]);
});

test('a bad WiFi password is never repeated in the message', async (t) => {
  const { problems } = checkDeviceConfig(await rawConfig({ hotspot: { passphrase: 'secret1' } }));
  t.is(problems.length, 1);
  t.false(problems.join(' ').includes('secret1'));
});

test('an open setup hotspot (no passphrase) is valid', async (t) => {
  t.deepEqual(checkDeviceConfig(await rawConfig({ hotspot: { passphrase: null } })).problems, []);
});
