import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { attachmentsFromMap, isLokoleError, writePackageV1 } from '../../src/index.js';
import { collectBytes, readAll, sampleEmails, SAMPLE_BLOBS, writeSample } from '../helpers.js';

/** A mutation of a valid package: bytes flipped, cut, inserted or removed. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 600 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Buffer, changes: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const change of changes) {
    if (out.length === 0) break;
    const at = change.at % Math.max(out.length, 1);
    if (change.kind === 'flip') out.writeUInt8(out.readUInt8(at) ^ change.bits, at);
    else if (change.kind === 'cut') out = out.subarray(0, at);
    else if (change.kind === 'insert')
      out = Buffer.concat([out.subarray(0, at), change.bytes, out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at + change.length)]);
  }
  return out;
}

const CODES = new Set(['PACKAGE_CORRUPT', 'PACKAGE_TOO_LARGE']);

async function checkMutations(t: ExecutionContext, valid: Buffer): Promise<void> {
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (changes) => {
      try {
        await readAll(mutate(valid, changes));
      } catch (error) {
        if (!isLokoleError(error) || !CODES.has(error.code)) throw error;
        rejected += 1;
      }
    }),
    { numRuns: 250, seed: 20261203 },
  );
  t.true(rejected > 100, `most mutations must be caught (${rejected} of 250 were)`);
}

test('mutated version 2 packages end in a valid result or a typed error, never a crash or a hang', async (t) => {
  await checkMutations(t, await writeSample());
});

test('mutated version 2 gzip packages end in a valid result or a typed error', async (t) => {
  await checkMutations(t, await writeSample({}, { compression: 'gzip' }));
});

test('mutated version 1 packages end in a valid result or a typed error', async (t) => {
  await checkMutations(
    t,
    await collectBytes((out) =>
      writePackageV1({ emails: sampleEmails(), attachments: attachmentsFromMap(SAMPLE_BLOBS) }, out),
    ),
  );
});
