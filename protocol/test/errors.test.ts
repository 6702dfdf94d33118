import test from 'ava';
import { CommandError, commandExitCode } from '../src/cli/exit-codes.js';
import { EXIT, exitCodeFor, httpStatusFor, LokoleError, type ErrorCode } from '../src/index.js';

// The contract every edge relies on: [code, HTTP status, exit code].
const TABLE: [ErrorCode, number, number][] = [
  ['INVALID_INPUT', 400, 65],
  ['UNAUTHORIZED', 401, 77],
  ['FORBIDDEN', 403, 77],
  ['NOT_FOUND', 404, 66],
  ['CONFLICT', 409, 65],
  ['TOO_LARGE', 413, 65],
  ['RATE_LIMITED', 429, 75],
  ['PACKAGE_TOO_LARGE', 413, 65],
  ['PACKAGE_CORRUPT', 422, 65],
  ['UNSUPPORTED', 415, 69],
  ['LINK_DOWN', 503, 75],
  ['UNAVAILABLE', 503, 75],
  ['BAD_CONFIG', 500, 78],
];

for (const [code, status, exit] of TABLE) {
  test(`${code} answers HTTP ${status} and exits with ${exit}`, (t) => {
    t.is(httpStatusFor(code), status);
    t.is<number, number>(exitCodeFor(new LokoleError(code, 'message')), exit);
  });
}

test('a LokoleError keeps its cause and reason', (t) => {
  const cause = new Error('disk full');
  const error = new LokoleError('UNAVAILABLE', 'Could not save', { cause, reason: 'disk' });
  t.is(error.cause, cause);
  t.is(error.reason, 'disk');
});

test('a command error exits with the code it carries', (t) => {
  t.is<number, number>(commandExitCode(new CommandError(EXIT.usage, 'bad option')), 64);
});

test('an error nobody foresaw exits with 1, the code of a bug', (t) => {
  t.is<number, number>(exitCodeFor(new TypeError('x is undefined')), 1);
  t.is<number, number>(commandExitCode('a thrown string'), 1);
});
