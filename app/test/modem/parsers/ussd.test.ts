import test from 'ava';
import {
  decodeUcs2Hex,
  decodeUssdText,
  encodingOfDcs,
  isUssdCode,
  packGsm7Hex,
  parseCusd,
  unpackGsm7Hex,
} from '../../../src/modem/parsers/ussd.js';

const vectors: [string, string][] = [
  ['*100#', 'AA180C3602'],
  ['*123#', 'AA986C3602'],
  ['*144#', 'AA188D3602'],
  // 7 characters: a CR is added so the spare bits are not read as '@'.
  ['*111*1#', 'AA582CA68A8D1A'],
];
for (const [code, hex] of vectors) {
  test(`${code} packs to ${hex} and back`, (t) => {
    t.is(packGsm7Hex(code), hex);
    t.is(unpackGsm7Hex(hex), code);
  });
}

test('extension characters take an escape and survive the round trip', (t) => {
  t.is(unpackGsm7Hex(packGsm7Hex('Prix: 5€ [promo]')), 'Prix: 5€ [promo]');
});

test('text outside the GSM alphabet cannot be packed', (t) => {
  t.throws(() => packGsm7Hex('✓'), { instanceOf: RangeError });
});

test('UCS2 hex decodes as UTF-16BE', (t) => {
  t.is(decodeUcs2Hex('0043007200E9006400690074003A00200033002C00350030002400202713'), 'Crédit: 3,50$ ✓');
});

test('the data coding scheme picks the alphabet', (t) => {
  t.is(encodingOfDcs(15), 'gsm7');
  t.is(encodingOfDcs(0x00), 'gsm7');
  t.is(encodingOfDcs(0x10), 'gsm7');
  t.is(encodingOfDcs(0x11), 'ucs2');
  t.is(encodingOfDcs(72), 'ucs2');
  t.is(encodingOfDcs(68), '8bit');
  t.is(encodingOfDcs(0x40), 'gsm7');
  t.is(encodingOfDcs(0xf4), '8bit');
  t.is(encodingOfDcs(0xf0), 'gsm7');
  t.is(encodingOfDcs(0x60), 'unknown');
});

test('a packed GSM-7 reply is unpacked', (t) => {
  const reply = parseCusd('\r\n+CUSD: 0,"D3379B5CD68162B21A0C641CBA40D6303B2C669741331848FDAECBE7",15\r\n', {
    sentPacked: true,
  });
  t.deepEqual(reply, {
    status: 'done',
    text: 'Solde: 1250 FC. Valable 30 jours',
    raw: 'D3379B5CD68162B21A0C641CBA40D6303B2C669741331848FDAECBE7',
    dcs: 15,
  });
});

test('a UCS2 reply (dcs 72) is decoded even though the request went packed', (t) => {
  const reply = parseCusd('+CUSD: 0,"0043007200E9006400690074003A00200033002C00350030002400202713",72', {
    sentPacked: true,
  });
  t.is(reply?.text, 'Crédit: 3,50$ ✓');
});

test('dcs 0x11 drops the two-character language prefix before the UCS2', (t) => {
  t.is(decodeUssdText('E6320041', 0x11, { sentPacked: true }), 'A');
});

test('hex-looking plain text stays as it is when the request was not packed', (t) => {
  t.is(parseCusd('+CUSD: 0,"1250",15', { sentPacked: false })?.text, '1250');
  t.is(parseCusd('+CUSD: 0,"Solde 1250 FC",15', { sentPacked: true })?.text, 'Solde 1250 FC');
});

test('session states without text are parsed', (t) => {
  t.deepEqual(parseCusd('+CUSD: 4', { sentPacked: true }), {
    status: 'not-supported',
    text: undefined,
    raw: undefined,
    dcs: undefined,
  });
  t.is(parseCusd('+CUSD: 1,"Menu",15', { sentPacked: false })?.status, 'more-input');
  t.is(parseCusd('OK', { sentPacked: true }), undefined);
});

test('only USSD-shaped codes are accepted', (t) => {
  t.true(isUssdCode('*123#'));
  t.true(isUssdCode('*111*1#'));
  t.true(isUssdCode('#100#'));
  t.false(isUssdCode('123'));
  t.false(isUssdCode('*123#"; ATD'));
});
