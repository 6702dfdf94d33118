import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'ava';
import { writePackage } from '@lokole/protocol';
import { useAzurite } from '../helpers/azurite.js';
import { sendRaw, simpleMessage, startTestCloud } from '../helpers/cloud.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

async function uploadPackage(device: string): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = buffer(out);
  await writePackage(
    {
      kind: 'upload',
      device,
      created: new Date('2026-01-01T00:00:00Z'),
      emails: [
        { _uid: `u-${device}`, from: 'ana@alpha.lokole.ca', to: ['x@example.org'], subject: 'Hi', body: 'b' },
      ],
    },
    out,
  );
  return bytes;
}

function call(url: string, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('a corrupt upload, another device’s token, a replayed ack and a bad token are refused and change nothing', async (t) => {
  const { url, cloud } = await startTestCloud(t, azurite());
  const a = await cloud.devices.register('alpha');
  const b = await cloud.devices.register('beta');

  t.is((await call(url, 'lkd_nope', 'POST', '/api/v2/sync', {})).status, 401);

  const good = await uploadPackage(a.id);
  // Cut short: the tar ends in the middle of a member.
  const corrupt = good.subarray(0, 700);
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const offer = (await (
    await call(url, a.token, 'POST', '/api/v2/sync', {
      upload: { size: corrupt.length, sha256: sha(corrupt), emails: 1 },
    })
  ).json()) as { upload: { id: string }; time: string };
  t.truthy(Date.parse(offer.time));
  const put = await fetch(`${url}/api/v2/packages/${offer.upload.id}/blocks/0`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' },
    body: corrupt,
  });
  t.is(put.status, 204);

  // Another device cannot see, commit or download it.
  const stolen = await call(url, b.token, 'POST', `/api/v2/packages/${offer.upload.id}/commit`, {});
  t.is(stolen.status, 404);

  const commit = await call(url, a.token, 'POST', `/api/v2/packages/${offer.upload.id}/commit`, {});
  t.is(commit.status, 422);
  t.is(((await commit.json()) as { error: { code: string } }).error.code, 'PACKAGE_CORRUPT');
  t.is((await cloud.store.figures()).emails, 0);

  // A replayed acknowledgement of a package that does not exist for this device.
  const ack = await call(url, a.token, 'POST', `/api/v2/packages/${offer.upload.id}/ack`, {});
  t.is(ack.status, 409);
  t.is(((await ack.json()) as { error: { reason: string } }).error.reason, 'wrong-kind');
});

test('an upload resumes: blocks already received are reported and not needed again', async (t) => {
  const { url, cloud } = await startTestCloud(t, azurite());
  const a = await cloud.devices.register('alpha');
  const good = await uploadPackage(a.id);
  const hash = createHash('sha256').update(good).digest('hex');
  const body = { upload: { size: good.length, sha256: hash, emails: 1 } };
  const first = (await (await call(url, a.token, 'POST', '/api/v2/sync', body)).json()) as {
    upload: { id: string; received: number[] };
  };
  t.deepEqual(first.upload.received, []);
  await fetch(`${url}/api/v2/packages/${first.upload.id}/blocks/0`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' },
    body: good,
  });
  const again = (await (await call(url, a.token, 'POST', '/api/v2/sync', body)).json()) as {
    upload: { id: string; received: number[] };
  };
  t.is(again.upload.id, first.upload.id);
  t.deepEqual(again.upload.received, [0]);
  t.is((await call(url, a.token, 'POST', `/api/v2/packages/${first.upload.id}/commit`, {})).status, 200);
  const replay = (await (await call(url, a.token, 'POST', '/api/v2/sync', body)).json()) as {
    upload: { state: string };
  };
  t.is(replay.upload.state, 'committed');
});

test('an expired upload refuses blocks and commit and stores nothing; the next offer starts afresh', async (t) => {
  let at = Date.parse('2026-03-01T08:00:00Z');
  const { url, cloud } = await startTestCloud(
    t,
    azurite(),
    { UPLOAD_TTL_SECONDS: '60' },
    { now: () => new Date(at) },
  );
  const a = await cloud.devices.register('alpha');
  const good = await uploadPackage(a.id);
  const body = {
    upload: { size: good.length, sha256: createHash('sha256').update(good).digest('hex'), emails: 1 },
  };
  const first = (await (await call(url, a.token, 'POST', '/api/v2/sync', body)).json()) as {
    upload: { id: string };
  };
  at += 61_000;
  const put = await fetch(`${url}/api/v2/packages/${first.upload.id}/blocks/0`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' },
    body: good,
  });
  t.is(put.status, 409);
  const refused = ((await put.json()) as { error: { reason: string; message: string } }).error;
  t.is(refused.reason, 'upload-expired');
  t.regex(refused.message, /expired .*start a new sync/);

  t.is(await cloud.sync.expireUploads(), 1);
  const commit = await call(url, a.token, 'POST', `/api/v2/packages/${first.upload.id}/commit`, {});
  t.is(commit.status, 409);
  t.is(((await commit.json()) as { error: { reason: string } }).error.reason, 'upload-expired');
  t.is((await cloud.store.figures()).emails, 0);

  const again = (await (await call(url, a.token, 'POST', '/api/v2/sync', body)).json()) as {
    upload: { id: string; state: string; received: number[] };
  };
  t.not(again.upload.id, first.upload.id);
  t.is(again.upload.state, 'open');
  t.deepEqual(again.upload.received, []);
});

test('a replayed acknowledgement, or one from another device, changes nothing', async (t) => {
  const { url, cloud, smtpPort } = await startTestCloud(t, azurite());
  const a = await cloud.devices.register('alpha');
  const b = await cloud.devices.register('beta');
  await sendRaw(
    smtpPort,
    { from: 'aunt@example.org', to: ['ana@alpha.lokole.ca'] },
    simpleMessage({ to: 'ana@alpha.lokole.ca' }),
  );
  await waitFor(async () => (await cloud.store.figures()).pendingEmails >= 1, { what: 'inbound parsed' });
  const offer = (await (await call(url, a.token, 'POST', '/api/v2/sync', {})).json()) as {
    download: { id: string; emails: number };
  };
  t.is(offer.download.emails, 1);
  const path = `/api/v2/packages/${offer.download.id}/ack`;

  const stolen = await call(url, b.token, 'POST', path, {});
  t.is(stolen.status, 404);
  t.is((await cloud.store.figures()).pendingEmails, 1);

  t.is((await call(url, a.token, 'POST', path, {})).status, 204);
  t.is((await cloud.store.figures()).pendingEmails, 0);
  const replay = await call(url, a.token, 'POST', path, {});
  t.is(replay.status, 409);
  t.is(((await replay.json()) as { error: { reason: string } }).error.reason, 'already-acknowledged');
  const download = await call(url, a.token, 'GET', `/api/v2/packages/${offer.download.id}`);
  t.is(download.status, 409);

  // The same ack again in an offer (a device that never heard the first answer): no new download.
  const next = (await (
    await call(url, a.token, 'POST', '/api/v2/sync', { ack: [offer.download.id] })
  ).json()) as { download: unknown; acked: string[] };
  t.deepEqual(next.acked, [offer.download.id]);
  t.is(next.download, null);
  const figures = await cloud.store.figures();
  t.is(figures.pendingEmails, 0);
  t.is(figures.emails, 1);
});
