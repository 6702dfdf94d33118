import test from 'ava';
import { CommandError, EXIT, exitCodeFor } from '../../src/cli/exit-codes.js';
import { LokoleError, type ErrorCode } from '../../src/index.js';

const exitsWith = test.macro({
  exec(t, code: ErrorCode, expected: number) {
    t.is<number, number>(exitCodeFor(new LokoleError(code, 'message')), expected);
  },
  title: (_title, code: ErrorCode, expected: number) => `a LokoleError ${code} exits with ${expected}`,
});

test(exitsWith, 'PACKAGE_CORRUPT', 65);
test(exitsWith, 'PACKAGE_TOO_LARGE', 65);
test(exitsWith, 'INVALID_INPUT', 65);
test(exitsWith, 'NOT_FOUND', 66);
test(exitsWith, 'UNSUPPORTED', 69);
test(exitsWith, 'LINK_DOWN', 75);

test('a command error exits with the code it carries', (t) => {
  t.is<number, number>(exitCodeFor(new CommandError(EXIT.usage, 'bad option')), 64);
});

test('an error nobody foresaw exits with 1, the code of a bug', (t) => {
  t.is<number, number>(exitCodeFor(new TypeError('x is undefined')), 1);
  t.is<number, number>(exitCodeFor('a thrown string'), 1);
});
