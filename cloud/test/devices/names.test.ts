import test from 'ava';
import { LokoleError } from '@lokole/protocol';
import { checkDeviceName } from '../../src/devices/index.js';

for (const name of ['ab', 'kinshasa', 'goma-2', '1st', 'a'.repeat(40), 'a-b-c']) {
  test(`${JSON.stringify(name)} is a valid device name`, (t) => {
    t.is(checkDeviceName(name), name);
  });
}

const bad: Array<[unknown, string]> = [
  ['a', 'invalid-device-name'],
  ['a'.repeat(41), 'invalid-device-name'],
  ['Kinshasa', 'invalid-device-name'],
  ['-goma', 'invalid-device-name'],
  ['goma-', 'invalid-device-name'],
  ['go ma', 'invalid-device-name'],
  ['go.ma', 'invalid-device-name'],
  ['gomá', 'invalid-device-name'],
  [42, 'invalid-device-name'],
  ['www', 'reserved-device-name'],
  ['admin', 'reserved-device-name'],
  ['bot', 'reserved-device-name'],
];

for (const [name, reason] of bad) {
  test(`${JSON.stringify(name)} is refused (${reason})`, (t) => {
    const error = t.throws(() => checkDeviceName(name), { instanceOf: LokoleError });
    t.is(error?.code, 'INVALID_INPUT');
    t.is(error?.reason, reason);
  });
}
