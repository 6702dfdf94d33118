import test from 'ava';
import { isLokoleError } from '@lokole/protocol';
import type { DeviceConfig } from '../../src/device-config/index.js';
import { renderWvdialConf } from '../../src/modem/index.js';
import { deviceConfig } from '../device-config/helpers.js';
import { renderFiles, renderText } from './helpers.js';

const PASSPHRASE = 'mbote-na-bino';

test('the rendered tree holds every file the device needs, without the .ejs suffix', async (t) => {
  const paths = [...(await renderFiles(await deviceConfig())).keys()];
  for (const file of [
    '/etc/hostapd/hostapd.conf',
    '/etc/dnsmasq.d/lokole.conf',
    '/etc/systemd/network/10-lokole-wlan0.network',
    '/etc/wvdial.conf',
    '/etc/ppp/peers/wvdial',
    '/etc/usb_modeswitch.d/12d1:1f01',
    '/etc/systemd/system/lokole-web.service',
    '/etc/systemd/system/lokole-sync.service',
    '/etc/systemd/system/lokole-sync.timer',
    '/etc/systemd/system/lokole-sync.path',
    '/etc/systemd/system/lokole-apply.service',
    '/etc/systemd/system/lokole-apply.path',
    '/etc/systemd/system/lokole-first-boot.service',
    '/usr/lib/lokole/first-boot.sh',
    '/etc/systemd/journald.conf.d/lokole.conf',
    '/etc/nftables.conf',
  ]) {
    t.true(paths.includes(file), file);
  }
  t.false(paths.some((file) => file.endsWith('.ejs')));
  t.false(paths.includes('/README.md'));
});

test('files holding a password are mode 600 and the first-boot script is executable', async (t) => {
  const files = await renderFiles(await deviceConfig());
  t.is(files.get('/etc/hostapd/hostapd.conf')?.mode, 0o600);
  t.is(files.get('/etc/wvdial.conf')?.mode, 0o600);
  t.is(files.get('/usr/lib/lokole/first-boot.sh')?.mode, 0o755);
  t.is(files.get('/etc/systemd/system/lokole-web.service')?.mode, 0o644);
});

test('with a passphrase the hotspot is WPA2-PSK with CCMP', async (t) => {
  const conf = await renderText(
    await deviceConfig({ hotspot: { passphrase: PASSPHRASE } }),
    '/etc/hostapd/hostapd.conf',
  );
  t.regex(conf, /^wpa=2$/m);
  t.regex(conf, /^wpa_key_mgmt=WPA-PSK$/m);
  t.regex(conf, /^rsn_pairwise=CCMP$/m);
  t.regex(conf, new RegExp(`^wpa_passphrase=${PASSPHRASE}$`, 'm'));
});

test('without a passphrase the setup hotspot is open', async (t) => {
  const conf = await renderText(
    await deviceConfig({ hotspot: { passphrase: null } }),
    '/etc/hostapd/hostapd.conf',
  );
  t.notRegex(conf, /^wpa/m);
});

test('SSID, channel and country code come from the config', async (t) => {
  const conf = await renderText(
    await deviceConfig({ hotspot: { ssid: 'Lokole Kimpese', channel: 11, countryCode: 'CG' } }),
    '/etc/hostapd/hostapd.conf',
  );
  t.regex(conf, /^ssid=Lokole Kimpese$/m);
  t.regex(conf, /^channel=11$/m);
  t.regex(conf, /^country_code=CG$/m);
});

// hostapd has no dry run: read the file the way hostapd does, and check each key and value.
const HOSTAPD_KEYS: Record<string, (value: string) => boolean> = {
  interface: (value) => value === 'wlan0',
  driver: (value) => value === 'nl80211',
  ssid: (value) => value.length >= 1 && Buffer.byteLength(value) <= 32,
  utf8_ssid: (value) => value === '1',
  country_code: (value) => /^[A-Z]{2}$/.test(value),
  ieee80211d: (value) => value === '1',
  hw_mode: (value) => value === 'g',
  channel: (value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 13,
  ieee80211n: (value) => value === '1',
  wmm_enabled: (value) => value === '1',
  ht_capab: (value) => /^(\[[A-Z0-9+-]+\])+$/.test(value),
  auth_algs: (value) => value === '1',
  macaddr_acl: (value) => value === '0',
  ignore_broadcast_ssid: (value) => value === '0',
  ap_isolate: (value) => value === '1',
  wpa: (value) => value === '2',
  wpa_key_mgmt: (value) => value === 'WPA-PSK',
  rsn_pairwise: (value) => value === 'CCMP',
  wpa_passphrase: (value) => /^[\x20-\x7e]{8,63}$/.test(value),
};

function hostapdProblems(conf: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  conf.split('\n').forEach((line, index) => {
    if (line === '' || line.startsWith('#')) return;
    const match = /^([a-z0-9_]+)=(.*)$/.exec(line);
    if (!match) return problems.push(`line ${index + 1}: not key=value`);
    const [, key = '', value = ''] = match;
    const check = HOSTAPD_KEYS[key];
    if (!check) problems.push(`line ${index + 1}: unknown key ${key}`);
    else if (!check(value)) problems.push(`line ${index + 1}: bad value for ${key}: ${value}`);
    if (seen.has(key)) problems.push(`line ${index + 1}: ${key} twice`);
    seen.add(key);
    return undefined;
  });
  return problems;
}

for (const [title, config] of [
  ['with a passphrase', { hotspot: { passphrase: PASSPHRASE, channel: 1 } }],
  ['without a passphrase', { hotspot: { passphrase: null, channel: 13 } }],
] as const) {
  test(`hostapd.conf ${title} has only known keys with values in range`, async (t) => {
    const conf = await renderText(await deviceConfig(config), '/etc/hostapd/hostapd.conf');
    t.deepEqual(hostapdProblems(conf), []);
  });
}

test('the hostapd.conf checker catches an unknown key and a bad channel', (t) => {
  t.deepEqual(hostapdProblems('interface=wlan0\nchanel=6\nchannel=14\n'), [
    'line 2: unknown key chanel',
    'line 3: bad value for channel: 14',
  ]);
});

test('with the captive portal every name resolves to the device and nothing is forwarded', async (t) => {
  const conf = await renderText(await deviceConfig({ captivePortal: true }), '/etc/dnsmasq.d/lokole.conf');
  t.regex(conf, /^address=\/#\/10\.0\.0\.1$/m);
  t.regex(conf, /^no-resolv$/m);
  t.regex(conf, /^dhcp-option=114,"http:\/\/10\.0\.0\.1\/"$/m);
});

test('without the captive portal names resolve normally but the device keeps its own name', async (t) => {
  const conf = await renderText(
    await deviceConfig({ captivePortal: false, device: { name: 'kimpese' } }),
    '/etc/dnsmasq.d/lokole.conf',
  );
  t.notRegex(conf, /address=\/#\//);
  t.notRegex(conf, /^no-resolv$/m);
  t.notRegex(conf, /^dhcp-option=114/m);
  t.regex(conf, /^address=\/kimpese\.lokole\.ca\/10\.0\.0\.1$/m);
});

test('DHCP serves the configured range on wlan0 only', async (t) => {
  const config = await deviceConfig({
    lan: {
      address: '192.168.50.1/23',
      dhcpStart: '192.168.50.100',
      dhcpEnd: '192.168.51.200',
      leaseHours: 4,
    },
  });
  const conf = await renderText(config, '/etc/dnsmasq.d/lokole.conf');
  t.regex(conf, /^interface=wlan0$/m);
  t.regex(conf, /^except-interface=lo$/m);
  t.regex(conf, /^dhcp-range=192\.168\.50\.100,192\.168\.51\.200,255\.255\.254\.0,4h$/m);
  t.regex(conf, /^dhcp-option=option:router,192\.168\.50\.1$/m);
  const network = await renderText(config, '/etc/systemd/network/10-lokole-wlan0.network');
  t.regex(network, /^Address=192\.168\.50\.1\/23$/m);
  t.regex(network, /^Name=wlan0$/m);
});

test('the firewall redirects web and DNS to the device only with the captive portal', async (t) => {
  const on = await renderText(await deviceConfig({ captivePortal: true }), '/etc/nftables.conf');
  const off = await renderText(await deviceConfig({ captivePortal: false }), '/etc/nftables.conf');
  t.regex(on, /dnat to 10\.0\.0\.1/);
  t.notRegex(off, /dnat/);
  for (const conf of [on, off]) {
    t.regex(conf, /chain forward \{\n\s+type filter hook forward priority filter; policy drop;/);
    t.regex(conf, /iifname "wlan0" counter drop/);
    t.regex(conf, /iifname "ppp\*" counter drop/);
  }
});

async function modemConfig(changes: Record<string, unknown> = {}): Promise<DeviceConfig> {
  return deviceConfig({
    link: 'modem',
    modem: { apn: 'vodanet', username: 'vodalive', port: '/dev/ttyUSB0', ...changes },
  });
}

test('with the modem link wvdial.conf is what the modem module renders', async (t) => {
  const conf = await renderText(await modemConfig(), '/etc/wvdial.conf');
  t.is(
    conf,
    renderWvdialConf({
      modemPath: '/dev/ttyUSB0',
      apn: 'vodanet',
      username: 'vodalive',
      password: '',
      phone: '*99#',
    }),
  );
});

test('without a fixed modem port wvdial.conf uses /dev/ttyUSB0 and says the port is found at each dial', async (t) => {
  const conf = await renderText(await modemConfig({ port: null }), '/etc/wvdial.conf');
  t.regex(conf, /^Modem = \/dev\/ttyUSB0$/m);
  t.regex(conf, /finds the modem port at each dial/);
});

for (const link of ['ethernet', 'none'] as const) {
  test(`with the ${link} link wvdial.conf is rendered inert`, async (t) => {
    const conf = await renderText(
      await deviceConfig({ link, modem: { apn: 'vodanet' } }),
      '/etc/wvdial.conf',
    );
    t.notRegex(conf, /\[Dialer/);
    t.regex(conf, new RegExp(`The link is "${link}"`));
  });
}

test('a modem link without an APN yet renders an inert wvdial.conf asking for it', async (t) => {
  const conf = await renderText(
    await deviceConfig({ link: 'modem', modem: { apn: null } }),
    '/etc/wvdial.conf',
  );
  t.notRegex(conf, /\[Dialer/);
  t.regex(conf, /No APN is set yet/);
});

test('the ppp peer has the options wvdial needs', async (t) => {
  const peer = (await renderText(await deviceConfig(), '/etc/ppp/peers/wvdial')).split('\n');
  for (const option of ['noauth', 'name wvdial', 'usepeerdns', 'defaultroute', 'replacedefaultroute']) {
    t.true(peer.includes(option), option);
  }
});

test('the usb_modeswitch entry switches 12d1:1f01 to serial 12d1:1001 with the message from modems.json', async (t) => {
  const entry = await renderText(await deviceConfig(), '/etc/usb_modeswitch.d/12d1:1f01');
  t.regex(entry, /^TargetVendor=0x12d1$/m);
  t.regex(entry, /^TargetProduct=0x1001$/m);
  t.regex(entry, /^MessageContent="55534243123456780000000000000011062000000100000000000000000000"$/m);
  t.notRegex(entry, /TargetProductList|HuaweiNewMode/);
});

test('the sync timer runs on the schedule in the device time zone', async (t) => {
  const timer = await renderText(
    await deviceConfig({ sync: { schedule: '30 1 * * 1-5' }, timeZone: 'Africa/Lubumbashi' }),
    '/etc/systemd/system/lokole-sync.timer',
  );
  t.regex(timer, /^OnCalendar=Mon\.\.Fri \*-\*-\* 01:30:00 Africa\/Lubumbashi$/m);
  t.regex(timer, /^Unit=lokole-sync\.service$/m);
});

test('the web service runs as lokole on port 80 with only the bind capability', async (t) => {
  const unit = await renderText(await deviceConfig(), '/etc/systemd/system/lokole-web.service');
  t.regex(unit, /^User=lokole$/m);
  t.regex(unit, /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
  t.regex(unit, /^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m);
  t.regex(unit, /PORT=80/);
  t.regex(unit, /^ExecStart=\/usr\/local\/bin\/lokole serve$/m);
  t.regex(unit, /^NoNewPrivileges=yes$/m);
  t.regex(unit, /^ProtectSystem=strict$/m);
});

test('the apply path unit watches the device config and first boot runs once', async (t) => {
  const files = await renderFiles(await deviceConfig());
  t.regex(
    files.get('/etc/systemd/system/lokole-apply.path')?.content.toString() ?? '',
    /^PathChanged=\/var\/lib\/lokole\/config\.json$/m,
  );
  t.regex(
    files.get('/etc/systemd/system/lokole-apply.service')?.content.toString() ?? '',
    /^ExecStart=\/usr\/local\/bin\/lokole apply --root \/$/m,
  );
  t.regex(
    files.get('/etc/systemd/system/lokole-first-boot.service')?.content.toString() ?? '',
    /^ConditionPathExists=!\/var\/lib\/lokole\/\.first-boot-done$/m,
  );
  t.regex(
    files.get('/etc/systemd/system/lokole-sync.path')?.content.toString() ?? '',
    /^PathExists=\/var\/lib\/lokole\/sync-request$/m,
  );
});

test('the web environment file carries the device name, domain and time zone', async (t) => {
  const env = await renderText(
    await deviceConfig({ device: { name: 'kimpese' }, timeZone: 'Africa/Lubumbashi' }),
    '/etc/default/lokole',
  );
  t.regex(env, /^LOKOLE_DEVICE_NAME=kimpese$/m);
  t.regex(env, /^LOKOLE_ROOT_DOMAIN=lokole\.ca$/m);
  t.regex(env, /^TZ=Africa\/Lubumbashi$/m);
});

test('a value with a line break never reaches a file, even past the schema', async (t) => {
  const config = await deviceConfig();
  const forged = { ...config, hotspot: { ...config.hotspot, ssid: 'Lokole\nwpa=0' } };
  const error = await t.throwsAsync(renderFiles(forged));
  t.true(isLokoleError(error, 'BAD_CONFIG'));
  t.is((error as { reason?: string }).reason, 'line-break');
});
