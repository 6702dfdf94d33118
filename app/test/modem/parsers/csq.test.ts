import test from 'ava';
import { parseCsq, signalFromRssi } from '../../../src/modem/parsers/csq.js';

test('a CSQ reply with echo and an interleaved ^RSSI gives dBm, bars and a label', (t) => {
  const signal = parseCsq('AT+CSQ\r\r\n^RSSI:17\r\n\r\n+CSQ: 17,99\r\n\r\nOK\r\n');
  t.like(signal, { rssi: 17, dbm: -79, bars: 3, label: 'good', ber: undefined, percent: 55 });
});

test('rssi 99 means the modem does not know the signal', (t) => {
  t.like(parseCsq('\r\n+CSQ: 99,99\r\n\r\nOK\r\n'), {
    rssi: undefined,
    dbm: undefined,
    bars: 0,
    label: 'unknown',
  });
});

const boundaries: [number, number, number, string][] = [
  [0, -113, 0, 'no-signal'],
  [1, -111, 0, 'no-signal'],
  [2, -109, 1, 'marginal'],
  [9, -95, 1, 'marginal'],
  [10, -93, 2, 'ok'],
  [14, -85, 2, 'ok'],
  [15, -83, 3, 'good'],
  [19, -75, 3, 'good'],
  [20, -73, 4, 'excellent'],
  [31, -51, 4, 'excellent'],
];
for (const [rssi, dbm, bars, label] of boundaries) {
  test(`rssi ${rssi} is ${dbm} dBm, ${bars} bars, ${label}`, (t) => {
    t.like(signalFromRssi(rssi, 0), { dbm, bars, label, ber: 0 });
  });
}

test('a reply without a CSQ line or with a malformed one gives nothing', (t) => {
  t.is(parseCsq('\r\nOK\r\n'), undefined);
  t.is(parseCsq('+CSQ: 17'), undefined);
});
