import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { type LokoleError } from '@lokole/protocol';
import { loadCarrierTable, loadModemTable, suggestApn } from '../../src/modem/index.js';

const carriers = await loadCarrierTable();

test('a Vodacom DRC SIM gets vodanet, verified with its source', (t) => {
  const suggestion = suggestApn('630011234567890', carriers);
  t.is(suggestion?.network, '63001');
  t.like(suggestion?.carrier, { apn: 'vodanet', username: 'vodalive' });
  t.true(suggestion?.isVerified);
});

test('an Orange SIM gets a preset marked unverified with no invented APN', (t) => {
  const suggestion = suggestApn('630861234567890', carriers);
  t.is(suggestion?.carrier.id, 'orange-cd');
  t.false(suggestion?.isVerified);
  t.is(suggestion?.carrier.apn, null);
});

test('an unknown network or no IMSI gives no suggestion', (t) => {
  t.is(suggestApn('234500012345678', carriers), undefined);
  t.is(suggestApn(undefined, carriers), undefined);
});

test('the shipped tables are valid and only Vodacom DRC is marked verified', async (t) => {
  t.deepEqual(
    carriers.carriers.filter((carrier) => carrier.source !== undefined).map((carrier) => carrier.id),
    ['vodacom-cd'],
  );
  const modems = await loadModemTable();
  t.deepEqual(
    modems.sticks.map((stick) => stick.model),
    ['E303', 'E3131', 'E353'],
  );
});

test('a carrier with neither a source nor an unverified mark is refused', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-carriers-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'carriers.json');
  const carrier = {
    id: 'x',
    name: 'X',
    country: 'CD',
    networks: ['63099'],
    apn: 'x',
    username: '',
    password: '',
    phone: '*99#',
  };
  await writeFile(file, JSON.stringify({ carriers: [carrier] }));
  const error = await t.throwsAsync<LokoleError>(loadCarrierTable(file));
  t.is(error?.code, 'BAD_CONFIG');
  t.regex(error?.message ?? '', /either a "source" or "unverified": true/);
});
