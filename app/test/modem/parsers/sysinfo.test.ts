import test from 'ava';
import { parseHcsq, parseSysinfo, parseSysinfoEx } from '../../../src/modem/parsers/sysinfo.js';

test('SYSINFO with an empty lock field gives service, mode and submode', (t) => {
  t.deepEqual(parseSysinfo('AT^SYSINFO\r\r\n^SYSINFO:2,3,0,5,1,,4\r\n\r\nOK\r\n'), {
    serviceStatus: 'valid',
    serviceDomain: 'packet-and-circuit',
    isRoaming: false,
    simState: 'valid',
    mode: 'WCDMA',
    submode: 'WCDMA',
  });
});

test('SYSINFO from older firmware has no lock or submode fields', (t) => {
  t.like(parseSysinfo('^SYSINFO: 2,2,1,3,1'), {
    serviceDomain: 'packet',
    isRoaming: true,
    mode: 'GSM/GPRS',
    submode: undefined,
  });
});

test('SYSINFO with no SIM and no service', (t) => {
  t.like(parseSysinfo('^SYSINFO:1,0,0,5,255'), { serviceStatus: 'restricted', simState: 'missing' });
  t.like(parseSysinfo('^SYSINFO:0,0,0,0,1'), {
    serviceStatus: 'no-service',
    mode: undefined,
    submode: undefined,
  });
});

test('SYSINFOEX with quoted names', (t) => {
  t.deepEqual(parseSysinfoEx('\r\n^SYSINFOEX:2,3,0,1,,3,"WCDMA",41,"WCDMA"\r\n\r\nOK\r\n'), {
    serviceStatus: 'valid',
    serviceDomain: 'packet-and-circuit',
    isRoaming: false,
    simState: 'valid',
    mode: 'WCDMA',
    submode: 'WCDMA',
  });
});

test('SYSINFOEX with the unquoted names an E303 sends', (t) => {
  t.like(parseSysinfoEx('^SYSINFOEX:2,3,1,1,,3,WCDMA,45,HSPA+'), {
    isRoaming: true,
    mode: 'WCDMA',
    submode: 'HSPA+',
  });
});

test('SYSINFOEX puts the SIM state fourth', (t) => {
  t.is(parseSysinfoEx('^SYSINFOEX:1,0,0,255,,3,"WCDMA",41,"WCDMA"')?.simState, 'missing');
});

test('HCSQ on WCDMA gives RSCP and Ec/Io; NOSERVICE has no values', (t) => {
  t.deepEqual(parseHcsq('^HCSQ: "WCDMA",30,30,58'), {
    mode: 'WCDMA',
    values: [30, 30, 58],
    rscpDbm: -90,
    ecioDb: -3,
  });
  t.deepEqual(parseHcsq('^HCSQ: "NOSERVICE"'), {
    mode: 'NOSERVICE',
    values: [],
    rscpDbm: undefined,
    ecioDb: undefined,
  });
  t.like(parseHcsq('^HCSQ: "LTE",30,19,66,0'), { mode: 'LTE', rscpDbm: undefined });
});

test('a reply without the line gives nothing', (t) => {
  t.is(parseSysinfo('OK'), undefined);
  t.is(parseSysinfoEx('COMMAND NOT SUPPORT'), undefined);
  t.is(parseHcsq('OK'), undefined);
});
