import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import test from 'ava';
import { writePackage } from '@lokole/protocol';
import { useAzurite } from '../helpers/azurite.js';
import { startTestCloud } from '../helpers/cloud.js';

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
