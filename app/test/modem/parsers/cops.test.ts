import test from 'ava';
import { parseCops } from '../../../src/modem/parsers/cops.js';

test('COPS with a long name gives the operator and access technology', (t) => {
  t.deepEqual(parseCops('AT+COPS?\r\r\n+COPS: 0,0,"Vodacom CD",2\r\n\r\nOK\r\n'), {
    selection: 'automatic',
    format: 0,
    name: 'Vodacom CD',
    numeric: undefined,
    accessTechnology: 'UMTS',
  });
});

test('COPS in numeric format gives MCC+MNC', (t) => {
  t.like(parseCops('+COPS: 0,2,"63001",2'), { format: 2, name: '63001', numeric: '63001' });
});

test('a bare COPS means the modem is on no network', (t) => {
  t.like(parseCops('\r\n+COPS: 0\r\n\r\nOK\r\n'), {
    selection: 'automatic',
    name: undefined,
    format: undefined,
  });
});

test('an operator name with a comma stays whole', (t) => {
  t.like(parseCops('+COPS: 1,0,"Orange, RDC",0'), {
    selection: 'manual',
    name: 'Orange, RDC',
    accessTechnology: 'GSM',
  });
});

test('a scan list or no COPS line gives nothing', (t) => {
  t.is(parseCops('+COPS: (2,"Vodacom CD","VODA","63001",2),,(0-4),(0-2)'), undefined);
  t.is(parseCops('OK'), undefined);
});
