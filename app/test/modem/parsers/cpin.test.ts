import test from 'ava';
import { parseCpin, parseHuaweiCpin } from '../../../src/modem/parsers/cpin.js';

test('CPIN READY means the SIM is unlocked', (t) => {
  t.deepEqual(parseCpin('AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n'), { lock: 'ready', raw: 'READY' });
});

test('each lock state is recognised', (t) => {
  t.is(parseCpin('+CPIN: SIM PIN')?.lock, 'sim-pin');
  t.is(parseCpin('+CPIN: SIM PUK')?.lock, 'sim-puk');
  t.is(parseCpin('+CPIN: PH-SIM PIN')?.lock, 'phone-sim-pin');
  t.is(parseCpin('+CPIN: SIM PIN2')?.lock, 'sim-pin2');
  t.is(parseCpin('+CPIN: "SIM PUK2"')?.lock, 'sim-puk2');
  t.is(parseCpin('+CPIN: SOMETHING')?.lock, 'other');
});

test('a missing SIM is an error reply, not a CPIN line', (t) => {
  t.is(parseCpin('AT+CPIN?\r\r\n+CME ERROR: 10\r\n'), undefined);
});

test('Huawei ^CPIN gives the retries left', (t) => {
  t.deepEqual(parseHuaweiCpin('\r\n^CPIN: SIM PIN,,10,3,10,3\r\n\r\nOK\r\n'), {
    lock: 'sim-pin',
    pukRetries: 10,
    pinRetries: 3,
    puk2Retries: 10,
    pin2Retries: 3,
  });
  t.is(parseHuaweiCpin('^CPIN: READY'), undefined);
});
