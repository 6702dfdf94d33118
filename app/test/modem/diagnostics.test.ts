import test, { type ExecutionContext } from 'ava';
import { type LokoleError } from '@lokole/protocol';
import type { FakeModemOptions, FakeModemState } from '../../../scripts/fake-modem/responder.js';
import { USSD_GSM7_TEXT, USSD_UCS2_TEXT } from '../../../scripts/fake-modem/responder.js';
import {
  createModemDiagnostics,
  discoverModems,
  loadCarrierTable,
  loadModemTable,
  type DialLockState,
  type ModemSnapshot,
} from '../../src/modem/index.js';
import { FAST, fakeModemOpener } from './fake-modem.js';
import { buildSysfs, E303_MODEM, type FixtureStick } from './sysfs-fixture.js';

const table = await loadModemTable();
const carriers = await loadCarrierTable();
const idle: DialLockState = { isDialing: false, evidence: [] };

async function diagnose(
  t: ExecutionContext,
  state: FakeModemState,
  options: { stick?: FixtureStick; lock?: DialLockState; modem?: FakeModemOptions } = {},
) {
  const dirs = await buildSysfs(t, [options.stick ?? E303_MODEM]);
  const opener = fakeModemOpener(state, options.modem);
  const opened: string[] = [];
  const diagnostics = createModemDiagnostics({
    discover: () => discoverModems({ table, ...dirs }),
    openTransport: (path) => {
      opened.push(path);
      return opener.openTransport(path);
    },
    checkDialLock: async () => options.lock ?? idle,
    carriers,
    clientOptions: FAST,
    now: () => new Date('2026-06-01T08:00:00Z'),
  });
  return { diagnostics, opened, received: opener.fake.received, dirs };
}

const codes = (snapshot: ModemSnapshot) => snapshot.findings.map((finding) => finding.code);

test('a healthy modem: every field read on the PCUI port, ready to dial, APN suggested from the IMSI', async (t) => {
  const { diagnostics, opened, dirs } = await diagnose(t, 'healthy');
  const snapshot = await diagnostics.snapshot();
  t.deepEqual(opened, [`${dirs.byIdDir}/usb-HUAWEI_HUAWEI_Mobile-if02-port0`]);
  t.is(snapshot.status, 'ok');
  t.is(snapshot.takenAt, '2026-06-01T08:00:00.000Z');
  t.is(snapshot.summary, 'The modem is ready to dial: on Vodacom CD, signal good (-79 dBm, 3/4), WCDMA.');
  t.deepEqual(snapshot.findings, []);
  t.like(snapshot, {
    usb: { vendorId: '12d1', productId: '1506', model: 'E303', mode: 'modem' },
    identity: { ok: true, value: { manufacturer: 'huawei', model: 'E303', revision: '21.157.01.00.00' } },
    imei: { ok: true, value: '358999000000001' },
    sim: { ok: true, value: { lock: 'ready' } },
    imsi: { ok: true, value: '630011234567890' },
    iccid: { ok: true, value: '89420311234567890123' },
    signal: { ok: true, value: { dbm: -79, bars: 3 } },
    registration: { ok: true, value: { state: 'home' } },
    dataRegistration: { ok: true, value: { state: 'home' } },
    operator: { ok: true, value: { name: 'Vodacom CD' } },
    system: { ok: true, value: { mode: 'WCDMA', isRoaming: false } },
    apn: { ok: true, value: { cid: 1, apn: 'vodanet' } },
    suggestedApn: { ok: true, value: { network: '63001', isVerified: true, carrier: { apn: 'vodanet' } } },
  });
});

test('no SIM: the SIM fields say so with what to do, and the signal is still read', async (t) => {
  const { diagnostics } = await diagnose(t, 'no-sim');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'attention');
  t.is(codes(snapshot)[0], 'no-sim');
  t.regex(snapshot.summary, /^No SIM card detected: check that the SIM is inserted the right way up/);
  t.like(snapshot.sim, { ok: false, reason: 'no-sim' });
  t.like(snapshot.imsi, { ok: false, reason: 'no-sim' });
  t.like(snapshot.suggestedApn, { ok: false, reason: 'no-sim' });
  t.like(snapshot.signal, { ok: true, value: { rssi: 15 } });
});

test('a PIN-locked SIM is reported with how to remove the PIN', async (t) => {
  const { diagnostics } = await diagnose(t, 'pin-locked');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'attention');
  t.deepEqual(codes(snapshot), ['sim-pin']);
  t.regex(snapshot.summary, /locked with a PIN: put it in a phone/);
  t.like(snapshot.imsi, { ok: false, reason: 'sim-locked' });
});

test('a weak signal is a warning with where to move the stick', async (t) => {
  const { diagnostics } = await diagnose(t, 'weak-signal');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'ok');
  t.deepEqual(codes(snapshot), ['weak-signal']);
  t.regex(snapshot.summary, /weak \(-105 dBm, 1 bar of 4\).*near a window/);
});

test('roaming is a warning naming the network', async (t) => {
  const { diagnostics } = await diagnose(t, 'roaming');
  const snapshot = await diagnostics.snapshot();
  t.deepEqual(codes(snapshot), ['roaming']);
  t.regex(snapshot.summary, /roaming on Airtel CD/);
  t.like(snapshot.suggestedApn, { ok: false, reason: 'not-read' });
  t.regex(snapshot.suggestedApn.ok ? '' : snapshot.suggestedApn.message, /no APN for the network 23450/);
});

test('not registered is an error about coverage and the SIM', async (t) => {
  const { diagnostics } = await diagnose(t, 'not-registered');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'attention');
  t.deepEqual(codes(snapshot), ['not-registered']);
  t.like(snapshot.operator, { ok: true, value: { name: undefined } });
});

test('old firmware without ^SYSINFOEX is read with ^SYSINFO', async (t) => {
  const { diagnostics, received } = await diagnose(t, 'healthy', {
    modem: { unsupported: ['AT^SYSINFOEX'] },
  });
  const snapshot = await diagnostics.snapshot();
  t.like(snapshot.system, { ok: true, value: { mode: 'WCDMA', submode: 'WCDMA' } });
  t.true(received.includes('AT^SYSINFO'));
});

test('a silent modem gives a no-answer snapshot with every field marked not read', async (t) => {
  const { diagnostics } = await diagnose(t, 'no-reply');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'no-answer');
  t.regex(snapshot.summary, /did not answer ATE0/);
  t.like(snapshot.signal, { ok: false, reason: 'not-read' });
});

test('a port that sends only noise is suspected to be the DIAG port', async (t) => {
  const { diagnostics } = await diagnose(t, 'garbage');
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'no-answer');
  t.regex(snapshot.summary, /sends data but no AT answers: this may be its DIAG port/);
});

test('a stick in storage mode is reported without opening any port', async (t) => {
  const { diagnostics, opened } = await diagnose(t, 'healthy', {
    stick: { usb: '1-1', vendorId: '12d1', productId: '14fe', interfaces: [{ number: 0 }] },
  });
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'storage-mode');
  t.deepEqual(opened, []);
  t.like(snapshot.imsi, { ok: false, reason: 'not-read' });
});

test('while a dial runs, no port is opened and the page says a sync is in progress', async (t) => {
  const { diagnostics, opened } = await diagnose(t, 'healthy', {
    lock: { isDialing: true, evidence: ['ppp0 exists'] },
  });
  const snapshot = await diagnostics.snapshot();
  t.is(snapshot.status, 'dialing');
  t.regex(snapshot.summary, /A sync is using the modem right now/);
  t.deepEqual(opened, []);
});

test('a second snapshot within the cache time does not ask the modem again', async (t) => {
  const { diagnostics, opened } = await diagnose(t, 'healthy');
  const first = await diagnostics.snapshot();
  t.is(await diagnostics.snapshot(), first);
  t.is(opened.length, 1);
  await diagnostics.snapshot({ fresh: true });
  t.is(opened.length, 2);
});

test('USSD: the request goes GSM-7 packed and a GSM-7 answer is decoded', async (t) => {
  const { diagnostics, received } = await diagnose(t, 'ussd-gsm7');
  const result = await diagnostics.ussd('*123#', { timeoutMs: 2000 });
  t.like(result, { code: '*123#', status: 'done', text: USSD_GSM7_TEXT, dcs: 15 });
  t.true(received.includes('AT+CUSD=1,"AA986C3602",15'));
});

test('USSD: a UCS2 answer (dcs 72) is decoded', async (t) => {
  const { diagnostics } = await diagnose(t, 'ussd-ucs2');
  t.is((await diagnostics.ussd('*100#', { timeoutMs: 2000 })).text, USSD_UCS2_TEXT);
});

test('USSD without a SIM fails with the SIM sentence; a malformed code is refused before the modem', async (t) => {
  const { diagnostics, opened } = await diagnose(t, 'no-sim');
  const error = await t.throwsAsync<LokoleError>(diagnostics.ussd('*123#'));
  t.regex(error?.message ?? '', /No SIM card detected/);
  const before = opened.length;
  const invalid = await t.throwsAsync<LokoleError>(diagnostics.ussd('123'));
  t.is(invalid?.code, 'INVALID_INPUT');
  t.is(opened.length, before);
});

test('dial conditions for the sync log: signal, operator, registration', async (t) => {
  const { diagnostics } = await diagnose(t, 'roaming');
  t.deepEqual(await diagnostics.readDialConditions(), {
    signalDbm: -79,
    signalBars: 3,
    operator: 'Airtel CD',
    registration: 'roaming',
    dataRegistration: 'roaming',
    accessTechnology: 'WCDMA',
    problems: [],
  });
});
