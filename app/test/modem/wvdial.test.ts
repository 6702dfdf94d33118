import test from 'ava';
import { type LokoleError } from '@lokole/protocol';
import { describeDialFailure, parseWvdialLine, renderWvdialConf } from '../../src/modem/index.js';

test('wvdial.conf has the APN in Init3, { } for an empty password, and no auto reconnect', (t) => {
  const conf = renderWvdialConf({
    modemPath: '/dev/serial/by-id/usb-HUAWEI_HUAWEI_Mobile-if00-port0',
    apn: 'vodanet',
    username: 'vodalive',
  });
  t.regex(conf, /^\[Dialer Defaults\]$/m);
  t.regex(conf, /^Modem = \/dev\/serial\/by-id\/usb-HUAWEI_HUAWEI_Mobile-if00-port0$/m);
  t.regex(conf, /^Init3 = AT\+CGDCONT=1,"IP","vodanet"$/m);
  t.regex(conf, /^Username = vodalive$/m);
  t.regex(conf, /^Password = \{ \}$/m);
  t.regex(conf, /^Phone = \*99#$/m);
  t.regex(conf, /^Auto Reconnect = off$/m);
  t.regex(conf, /^Stupid Mode = 1$/m);
  t.notRegex(conf, /PPPD Path/);
});

test('a fake pppd path and another number are written when given', (t) => {
  const conf = renderWvdialConf({
    modemPath: '/dev/ttyUSB0',
    apn: 'hologram',
    phone: '*99***1#',
    pppdPath: '/x/fake-pppd.sh',
  });
  t.regex(conf, /^Phone = \*99\*\*\*1#$/m);
  t.regex(conf, /^PPPD Path = \/x\/fake-pppd.sh$/m);
  t.regex(conf, /^Username = \{ \}$/m);
});

const bad: [string, Parameters<typeof renderWvdialConf>[0], RegExp][] = [
  ['an APN with a quote', { modemPath: '/dev/ttyUSB0', apn: 'a"b' }, /APN "a"b" is not valid/],
  ['an APN smuggling a line', { modemPath: '/dev/ttyUSB0', apn: 'x\nInit9 = ATD123' }, /APN/],
  ['a password with a line break', { modemPath: '/dev/ttyUSB0', apn: 'x', password: 'a\nb' }, /password/],
  ['a relative modem path', { modemPath: 'ttyUSB0', apn: 'x' }, /not a device path/],
  ['a phone number with letters', { modemPath: '/dev/ttyUSB0', apn: 'x', phone: '*99#x' }, /number to dial/],
];
for (const [what, settings, message] of bad) {
  test(`${what} is refused with the field to fix`, (t) => {
    const error = t.throws<LokoleError>(() => renderWvdialConf(settings));
    t.is(error?.code, 'INVALID_INPUT');
    t.regex(error?.message ?? '', message);
  });
}

test('a successful dial’s lines become events, local IP included', (t) => {
  const lines = [
    '--> Modem initialized.',
    '--> Sending: ATDT*99#',
    '--> Waiting for carrier.',
    'CONNECT 7200000',
    '--> Carrier detected.  Starting PPP immediately.',
    '--> Pid of pppd: 3030',
    '--> Using interface ppp0',
    '--> local  IP address 10.64.64.64',
    '--> remote IP address 10.64.64.1',
    '--> primary   DNS address 172.24.97.1',
    '--> Disconnecting at Thu Dec  3 17:57:42 2026',
  ];
  t.deepEqual(lines.map(parseWvdialLine), [
    { type: 'initialized' },
    { type: 'dialing', phone: '*99#' },
    { type: 'waiting-for-carrier' },
    { type: 'connect', rate: 7200000 },
    { type: 'carrier' },
    { type: 'pppd', pid: 3030 },
    { type: 'interface', name: 'ppp0' },
    { type: 'local-ip', address: '10.64.64.64' },
    { type: 'remote-ip', address: '10.64.64.1' },
    { type: 'dns', address: '172.24.97.1' },
    { type: 'disconnecting' },
  ]);
});

const failures: [string, string, boolean][] = [
  ['--> Modem not responding.', 'modem-not-responding', true],
  ['--> Bad init string.', 'bad-init', true],
  ['--> No Carrier!  Trying again.', 'no-carrier', false],
  ['--> Maximum Attempts Exceeded..Aborting!!', 'max-attempts', true],
  ['--> The PPP daemon has died: A modem hung up the phone (exit code = 16)', 'hangup', true],
  ['--> The PPP daemon has died: Serial port lock failed (exit code = 4)', 'port-locked', true],
  ['--> The PPP daemon has died: PPP negotiation failed (exit code = 10)', 'negotiation', true],
  ['--> The PPP daemon has died: pppd options error (exit code = 2)', 'pppd-options', true],
  ['--> Authentication (PAP) failed', 'auth', true],
  ['--> Cannot open /dev/ttyUSB9: No such file or directory', 'cannot-open', true],
];
for (const [line, failure, final] of failures) {
  test(`"${line}" is the ${failure} failure${final ? ', final' : ', retried by wvdial'}`, (t) => {
    t.like(parseWvdialLine(line), { type: 'failure', failure, final });
  });
}

test('each failure class has a sentence for the technician', (t) => {
  t.regex(describeDialFailure('hangup'), /APN, user name or password is wrong/);
  t.regex(describeDialFailure('modem-not-responding'), /unplug the stick/);
});

test('unrelated lines are no events', (t) => {
  t.is(parseWvdialLine('--> WvDial: Internet dialer version 1.61'), undefined);
  t.is(parseWvdialLine('--> Cannot get information for serial port.'), undefined);
  t.is(parseWvdialLine('OK'), undefined);
});
