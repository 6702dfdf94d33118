import test from 'ava';
import { isValidApn, parseCgdcont } from '../../../src/modem/parsers/cgdcont.js';

test('every defined context is listed with its APN', (t) => {
  const transcript =
    'AT+CGDCONT?\r\r\n+CGDCONT: 1,"IP","vodanet","0.0.0.0",0,0\r\n+CGDCONT: 16,"IP","","0.0.0.0",0,0\r\n\r\nOK\r\n';
  t.deepEqual(parseCgdcont(transcript), [
    { cid: 1, pdpType: 'IP', apn: 'vodanet', address: '0.0.0.0' },
    { cid: 16, pdpType: 'IP', apn: '', address: '0.0.0.0' },
  ]);
});

test('no context defined gives an empty list', (t) => {
  t.deepEqual(parseCgdcont('\r\nOK\r\n'), []);
});

test('APNs are labels; quotes, spaces and line breaks are refused', (t) => {
  t.true(isValidApn('vodanet'));
  t.true(isValidApn('apn.konekt.io'));
  t.false(isValidApn(''));
  t.false(isValidApn('a"b'));
  t.false(isValidApn('my apn'));
  t.false(isValidApn('x\nInit9 = ATZ'));
});
