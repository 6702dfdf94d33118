import test from 'ava';
import { createRandom } from '@lokole/protocol/generate';

const draw = (seed: number, n = 50): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

test('the same seed gives the same sequence', (t) => {
  t.deepEqual(draw(42), draw(42));
  t.deepEqual(createRandom(42).bytes(33), createRandom(42).bytes(33));
});

test('neighbouring seeds give unrelated sequences', (t) => {
  const a = draw(1);
  const b = draw(2);
  t.false(a.some((value, k) => value === b[k]));
});

test('next stays in [0, 1) and spreads evenly', (t) => {
  const values = draw(7, 20_000);
  t.true(values.every((value) => value >= 0 && value < 1));
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  t.true(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});

test('int reaches both of its bounds and never passes them', (t) => {
  const random = createRandom(3);
  const seen = new Set<number>();
  for (let i = 0; i < 2_000; i++) seen.add(random.int(-2, 3));
  t.deepEqual(
    [...seen].sort((a, b) => a - b),
    [-2, -1, 0, 1, 2, 3],
  );
});

test('bytes returns exactly n bytes, including lengths that are not a multiple of four', (t) => {
  const random = createRandom(5);
  for (let n = 0; n < 10; n++) t.is(random.bytes(n).length, n);
});

test('pick returns items of the list and refuses an empty one', (t) => {
  const random = createRandom(9);
  const items = ['ana', 'papy', 'neema'] as const;
  for (let i = 0; i < 30; i++) t.true(items.includes(random.pick(items)));
  t.throws(() => random.pick([]), { instanceOf: RangeError });
});

test('int refuses bounds in the wrong order or not whole', (t) => {
  const random = createRandom(9);
  t.throws(() => random.int(5, 1), { instanceOf: RangeError });
  t.throws(() => random.int(0.5, 3), { instanceOf: RangeError });
});
