import test from 'ava';
import {
  isLuhnValid,
  networkFromImsi,
  normalizeIccid,
  parseAti,
  parseCimi,
  parseIccid,
  parseIdentityLine,
  parseImei,
} from '../../../src/modem/parsers/identity.js';

test('CIMI gives the bare IMSI, echo and OK ignored', (t) => {
  t.is(parseCimi('AT+CIMI\r\r\n630011234567890\r\n\r\nOK\r\n'), '630011234567890');
});

test('CIMI tagged by some firmware still gives the IMSI', (t) => {
  t.is(parseCimi('+CIMI: "630011234567890"'), '630011234567890');
});

test('a CIMI error gives no IMSI', (t) => {
  t.is(parseCimi('AT+CIMI\r\r\n+CME ERROR: 10\r\n'), undefined);
});

test('the IMSI splits into country and network codes', (t) => {
  t.deepEqual(networkFromImsi('630011234567890'), { mcc: '630', mnc: '01', mnc3: '011' });
  t.is(networkFromImsi('abc'), undefined);
});

test('a Huawei ICCID stored nibble-swapped is put back in order', (t) => {
  t.is(parseIccid('AT^ICCID?\r\r\n^ICCID: 98243011325476981032\r\n\r\nOK\r\n'), '89420311234567890123');
});

test('an ICCID already in order is kept, and the F padding dropped', (t) => {
  t.is(parseIccid('^ICCID: 8924301123456789012F'), '8924301123456789012');
  t.is(parseIccid('+CCID: "89243011234567890123"'), '89243011234567890123');
});

test('the ICCID read from the SIM file by CRSM is swapped; a failed read gives nothing', (t) => {
  t.is(parseIccid('+CRSM: 144,0,"98420311325476981032"'), '89243011234567890123');
  t.is(parseIccid('+CRSM: 148,4,""'), undefined);
});

test('normalizeIccid refuses text that is not an ICCID', (t) => {
  t.is(normalizeIccid('hello'), undefined);
  t.is(normalizeIccid('1234'), undefined);
});

test('CGSN gives the IMEI with its check digit verified', (t) => {
  t.deepEqual(parseImei('AT+CGSN\r\r\n358999000000001\r\n\r\nOK\r\n'), {
    imei: '358999000000001',
    isLuhnValid: true,
  });
  t.deepEqual(parseImei('+CGSN: "358999000000008"'), { imei: '358999000000008', isLuhnValid: false });
  t.true(isLuhnValid('79927398713'));
});

test('CGMI, CGMM and CGMR give the first line, tag and quotes removed', (t) => {
  t.is(parseIdentityLine('AT+CGMI\r\r\nhuawei\r\n\r\nOK\r\n'), 'huawei');
  t.is(parseIdentityLine('+CGMM: "E3131"'), 'E3131');
  t.is(parseIdentityLine('\r\n21.158.13.00.209\r\n\r\nOK\r\n'), '21.158.13.00.209');
  t.is(parseIdentityLine('\r\nOK\r\n'), undefined);
});

test('ATI gives manufacturer, model, revision and IMEI', (t) => {
  const transcript =
    'ATI\r\r\nManufacturer: huawei\r\nModel: E160\r\nRevision: 11.609.06.02.94\r\nIMEI: 358999000000001\r\n+GCAP: +CGSM,+DS,+ES\r\n\r\nOK\r\n';
  t.deepEqual(parseAti(transcript), {
    manufacturer: 'huawei',
    model: 'E160',
    revision: '11.609.06.02.94',
    imei: '358999000000001',
  });
});
