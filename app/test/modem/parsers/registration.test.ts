import test from 'ava';
import { parseRegistration, parseRegistrationUrc } from '../../../src/modem/parsers/registration.js';

test('a short CREG reply gives the registration state', (t) => {
  t.like(parseRegistration('AT+CREG?\r\r\n+CREG: 0,1\r\n\r\nOK\r\n'), {
    kind: 'CREG',
    mode: 0,
    stat: 1,
    state: 'home',
    isRegistered: true,
    lac: undefined,
  });
});

test('a long CREG reply gives location, cell and access technology', (t) => {
  t.like(parseRegistration('\r\n+CREG: 2,1,"0E1F","00A3B2C1",2\r\n\r\nOK\r\n'), {
    mode: 2,
    state: 'home',
    lac: '0E1F',
    cellId: '00A3B2C1',
    accessTechnology: 'UMTS',
  });
});

test('an unsolicited CREG before the reply is not taken for the reply', (t) => {
  const transcript = '\r\n+CREG: 1,"0E1F","00A3B2C1"\r\n\r\n+CREG: 2,5,"0E1F","00A3B2C1",2\r\n\r\nOK\r\n';
  t.like(parseRegistration(transcript), { mode: 2, stat: 5, state: 'roaming', isRegistered: true });
});

test('CGREG 5 is roaming data registration while CREG may say denied on data-only SIMs', (t) => {
  t.like(parseRegistration('+CGREG: 0,5', 'CGREG'), { kind: 'CGREG', state: 'roaming', isRegistered: true });
  t.like(parseRegistration('+CREG: 0,3'), { state: 'denied', isRegistered: false });
});

test('searching and not registered are told apart', (t) => {
  t.like(parseRegistration('+CREG: 0,2'), { state: 'searching', isRegistered: false });
  t.like(parseRegistration('+CGREG: 0,0', 'CGREG'), { state: 'not-registered', isRegistered: false });
});

test('an unsolicited result alone is no reply, but parses as an unsolicited result', (t) => {
  t.is(parseRegistration('\r\n+CREG: 1\r\n'), undefined);
  t.like(parseRegistrationUrc('+CREG: 1,"0E1F","00A3B2C1",7'), {
    mode: undefined,
    state: 'home',
    lac: '0E1F',
    accessTechnology: 'LTE',
  });
  t.is(parseRegistrationUrc('+CREG: 0,1'), undefined);
});

test('a CGREG line is not read as CREG', (t) => {
  t.is(parseRegistration('+CGREG: 0,1', 'CREG'), undefined);
});
