import test from 'ava';
import { convertPackage, isLokoleError, sha256Hex } from '../../src/index.js';
import {
  collectBytes,
  emailsOf,
  PHOTO,
  readAll,
  sampleEmails,
  SAMPLE_BLOBS,
  writeSample,
} from '../helpers.js';

const toVersion = (bytes: Buffer, to: 1 | 2, options = {}) =>
  collectBytes((out) => convertPackage([bytes], out, { to, ...options }));

test('version 2 → 1 → 2 keeps every email, user and attachment byte', async (t) => {
  const users = [{ address: 'ana.mbuyi@kinshasa.lokole.ca', password_hash: '$argon2id$x' }];
  const original = await writeSample({ kind: 'upload', users });
  const v1 = await toVersion(original, 1);
  t.is(v1[0], 0x1f, 'version 1 is a .tar.gz');
  const back = await readAll(await toVersion(v1, 2, { device: 'kinshasa', kind: 'upload' }));
  t.deepEqual(emailsOf(back), sampleEmails());
  t.deepEqual(back.attachments, SAMPLE_BLOBS);
  t.deepEqual(
    back.items.filter((item) => item.type === 'user'),
    users.map((user) => ({ type: 'user', user })),
  );
});

test('version 2 → 2 keeps the manifest kind, device and codec', async (t) => {
  const original = await writeSample({}, { compression: 'gzip' });
  const copy = await toVersion(original, 2);
  t.deepEqual(copy, original);
});

test('a version 1 package without users becomes a download unless told otherwise', async (t) => {
  const v1 = await toVersion(await writeSample(), 1);
  const info = (await readAll(await toVersion(v1, 2))).items[0];
  t.like(info?.type === 'info' ? info.info.manifest : {}, { kind: 'download', device: 'unknown' });
});

test('delivery reports cannot go into version 1, and nothing is written', async (t) => {
  const withReports = await writeSample({
    reports: [{ _uid: 'u', status: 'sent', at: '2026-11-02T07:00:00Z' }],
  });
  const error = await t.throwsAsync(toVersion(withReports, 1));
  t.true(isLokoleError(error, 'UNSUPPORTED'));
});

test('files that no email names cannot go into version 1', async (t) => {
  const error = await t.throwsAsync(
    toVersion(await writeSample({ emails: [], extraAttachments: [sha256Hex(PHOTO)] }), 1),
  );
  t.true(isLokoleError(error, 'UNSUPPORTED'));
});

test('a corrupt source converts to nothing', async (t) => {
  const bytes = await writeSample();
  const error = await t.throwsAsync(toVersion(bytes.subarray(0, bytes.length - 2000), 1));
  t.true(isLokoleError(error, 'PACKAGE_CORRUPT'));
});
