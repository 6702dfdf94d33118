import test from 'ava';
import { classifyCme, describeCme, isFinalResult, parseFinal } from '../../../src/modem/parsers/cme.js';

test('every final result code is recognised', (t) => {
  t.deepEqual(parseFinal('OK'), { kind: 'ok' });
  t.deepEqual(parseFinal('ERROR'), { kind: 'error' });
  t.deepEqual(parseFinal('COMMAND NOT SUPPORT'), { kind: 'not-supported' });
  t.deepEqual(parseFinal('CONNECT 7200000'), { kind: 'connect', rate: 7200000 });
  t.deepEqual(parseFinal('CONNECT'), { kind: 'connect', rate: undefined });
  t.deepEqual(parseFinal('NO CARRIER'), { kind: 'no-carrier' });
  t.deepEqual(parseFinal('BUSY'), { kind: 'busy' });
  t.deepEqual(parseFinal('NO ANSWER'), { kind: 'no-answer' });
  t.deepEqual(parseFinal('NO DIALTONE'), { kind: 'no-dialtone' });
});

test('numeric and text CME errors give the same code', (t) => {
  t.deepEqual(parseFinal('+CME ERROR: 10'), { kind: 'cme-error', code: 10, text: '10' });
  t.deepEqual(parseFinal('+CME ERROR: SIM not inserted'), {
    kind: 'cme-error',
    code: 10,
    text: 'SIM not inserted',
  });
  t.deepEqual(parseFinal('+CMS ERROR: 500'), { kind: 'cms-error', code: 500, text: '500' });
  t.like(parseFinal('+CME ERROR: something new'), { code: undefined, text: 'something new' });
});

test('info lines and unsolicited results are not final', (t) => {
  t.false(isFinalResult('+CSQ: 17,99'));
  t.false(isFinalResult('^RSSI:17'));
  t.false(isFinalResult('OKAY'));
});

test('SIM errors are classified and explained for a technician', (t) => {
  t.is(classifyCme(10), 'no-sim');
  t.is(classifyCme(11), 'sim-pin');
  t.is(classifyCme(12), 'sim-puk');
  t.is(classifyCme(149), 'auth');
  t.regex(describeCme(10), /No SIM card detected: check that the SIM is inserted the right way up/);
  t.regex(describeCme(11), /PIN/);
  t.regex(describeCme(30), /no network service/);
  t.is(describeCme(undefined, 'odd'), 'The modem reported an error (odd).');
});
