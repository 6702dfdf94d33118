import test from 'ava';
import { isLokoleError, type LokoleError } from '@lokole/protocol';
import { defaultPrefix } from '../../src/modem/index.js';
import { connectFakeModem } from './fake-modem.js';

test('a reply is collected without the echo of the command', async (t) => {
  const { client } = await connectFakeModem(t, 'healthy');
  const response = await client.command('AT+CGMM');
  t.true(response.ok);
  t.deepEqual(response.lines, ['E303']);
  t.is(response.final, 'OK');
});

test('an unsolicited ^RSSI between request and reply goes to the URC listeners, not into the reply', async (t) => {
  const { client } = await connectFakeModem(t, 'healthy');
  const urcs: string[] = [];
  client.onUrc((line) => urcs.push(line));
  const response = await client.command('AT+CSQ');
  t.deepEqual(response.lines, ['+CSQ: 17,99']);
  t.deepEqual(urcs, ['^RSSI:17']);
});

test('initialize turns echo off, errors numeric and periodic reports off', async (t) => {
  const { client, fake } = await connectFakeModem(t, 'healthy');
  await client.initialize();
  t.deepEqual(fake.received, ['ATE0', 'AT+CMEE=1', 'AT^CURC=0']);
  const urcs: string[] = [];
  client.onUrc((line) => urcs.push(line));
  t.deepEqual((await client.command('AT+CSQ')).lines, ['+CSQ: 17,99']);
  t.deepEqual(urcs, []);
});

test('a missing SIM is a CME error 10 once numeric errors are on', async (t) => {
  const { client } = await connectFakeModem(t, 'no-sim');
  t.is((await client.command('AT+CPIN?')).result.kind, 'error');
  await client.initialize();
  const response = await client.command('AT+CPIN?');
  t.false(response.ok);
  t.deepEqual(response.result, { kind: 'cme-error', code: 10, text: '10' });
});

test('a PIN-locked SIM answers CPIN with SIM PIN', async (t) => {
  const { client } = await connectFakeModem(t, 'pin-locked');
  await client.initialize();
  const response = await client.command('AT+CPIN?', { timeoutMs: 1000 });
  t.deepEqual(response.lines, ['+CPIN: SIM PIN']);
  t.is((await client.command('AT+CIMI')).result.kind, 'cme-error');
});

test('firmware that answers a bare ERROR gives a failed reply, not an exception', async (t) => {
  const { client } = await connectFakeModem(t, 'healthy', { unsupported: ['AT^SYSINFOEX'] });
  const response = await client.command('AT^SYSINFOEX');
  t.false(response.ok);
  t.deepEqual(response.result, { kind: 'error' });
  t.true((await client.command('AT^SYSINFO')).ok);
});

test('USSD: OK first, then the answer as an unsolicited +CUSD', async (t) => {
  const { client } = await connectFakeModem(t, 'ussd-ucs2');
  await client.initialize();
  const answer = client.waitUrc('+CUSD:', { timeoutMs: 2000 });
  const response = await client.command('AT+CUSD=1,"AA986C3602",15', { expectPrefix: null });
  t.true(response.ok);
  t.deepEqual(response.lines, []);
  t.regex(await answer, /^\+CUSD: 0,"0043007200E9/);
});

test('a modem that never answers times out with a sentence, and later commands fail once resync gives up', async (t) => {
  const { client } = await connectFakeModem(t, 'no-reply');
  const started = performance.now();
  const error = await t.throwsAsync<LokoleError>(client.command('AT+CSQ'));
  t.true(isLokoleError(error, 'UNAVAILABLE'));
  t.is(error?.reason, 'at-timeout');
  t.regex(error?.message ?? '', /did not answer AT\+CSQ within 0\.4 s/);
  t.true(performance.now() - started < 1000);
  const next = await t.throwsAsync<LokoleError>(client.command('AT+CGMM'));
  t.is(next?.reason, 'at-resync-failed');
});

test('a late reply to a timed-out command is never taken for the next command’s answer', async (t) => {
  const { client, fake } = await connectFakeModem(t, 'healthy', { delays: { 'AT+CSQ': 700 } });
  await client.initialize();
  const error = await t.throwsAsync<LokoleError>(client.command('AT+CSQ'));
  t.is(error?.reason, 'at-timeout');
  const response = await client.command('AT+CGMM');
  t.deepEqual(response.lines, ['E303']);
  // The client resynchronised with bare ATs before sending the next command.
  const afterCsq = fake.received.slice(fake.received.indexOf('AT+CSQ') + 1);
  t.is(afterCsq.at(-1), 'AT+CGMM');
  t.true(afterCsq.slice(0, -1).length > 0 && afterCsq.slice(0, -1).every((command) => command === 'AT'));
});

test('commands sent at once are answered in turn, each with its own reply', async (t) => {
  const { client } = await connectFakeModem(t, 'healthy');
  await client.initialize();
  const [csq, model, imsi] = await Promise.all([
    client.command('AT+CSQ'),
    client.command('AT+CGMM'),
    client.command('AT+CIMI'),
  ]);
  t.deepEqual(csq.lines, ['+CSQ: 17,99']);
  t.deepEqual(model.lines, ['E303']);
  t.deepEqual(imsi.lines, ['630011234567890']);
});

test('an unplugged modem fails the next command as gone, with what to do', async (t) => {
  const { client, fake } = await connectFakeModem(t, 'healthy');
  await client.initialize();
  fake.unplug();
  const error = await t.throwsAsync<LokoleError>(client.command('AT+CSQ'));
  t.is(error?.reason, 'modem-gone');
  t.regex(error?.message ?? '', /went away .*check that the stick is seated/);
  const again = await t.throwsAsync<LokoleError>(client.command('AT'));
  t.is(again?.reason, 'modem-gone');
});

test('a modem that vanishes mid-command times out, then is reported gone', async (t) => {
  const { client, fake } = await connectFakeModem(t, 'healthy', { delays: { 'AT+COPS?': 2000 } });
  await client.initialize();
  const pending = client.command('AT+COPS?');
  while (!fake.received.includes('AT+COPS?')) await new Promise((resolve) => setTimeout(resolve, 5));
  fake.unplug();
  t.is((await t.throwsAsync<LokoleError>(pending))?.reason, 'at-timeout');
  t.is((await t.throwsAsync<LokoleError>(client.command('AT+CSQ')))?.reason, 'modem-gone');
});

test('a port closed under the client fails the pending command at once', async (t) => {
  const { client, transport } = await connectFakeModem(t, 'no-reply');
  const pending = client.command('AT+CSQ', { timeoutMs: 5000 });
  const started = performance.now();
  await transport.close();
  await client.close();
  const error = await t.throwsAsync<LokoleError>(pending);
  t.true(performance.now() - started < 1000);
  t.true(isLokoleError(error, 'UNAVAILABLE'));
});

test('the expected prefix is taken from the command', (t) => {
  t.is(defaultPrefix('AT+CSQ'), '+CSQ:');
  t.is(defaultPrefix('AT^SYSINFOEX'), '^SYSINFOEX:');
  t.is(defaultPrefix('AT+COPS=3,2;+COPS?'), '+COPS:');
  t.is(defaultPrefix('ATI'), null);
});
