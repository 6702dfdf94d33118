import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { EXIT } from '@lokole/protocol';
import { main, type Io } from '../../src/cli/main.js';
import { useAzurite } from '../helpers/azurite.js';
import { waitFor } from '../helpers/wait.js';

const azurite = useAzurite(test);

async function io(t: ExecutionContext, env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lokole-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  let stop: () => void = () => undefined;
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = {
    env: { LOKOLE_DATA_DIR: dir, SMTP_RELAY_URL: 'smtp://127.0.0.1:9', LOG_LEVEL: 'silent', ...env },
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    stopped: new Promise<void>((resolve) => (stop = resolve)),
  };
  return { io: value, out, err, stop: () => stop() };
}

test('no command prints the usage and exits 64', async (t) => {
  const { io: value, out } = await io(t);
  t.is(await main([], value), EXIT.usage);
  t.regex(out.join('\n'), /Usage: lokole-cloud/);
});

test('an unknown command exits 64 and names it', async (t) => {
  const { io: value, err } = await io(t);
  t.is(await main(['frobnicate'], value), EXIT.usage);
  t.regex(err.join('\n'), /Unknown command "frobnicate"/);
});

test('a bad environment exits 78 naming each bad variable', async (t) => {
  const { io: value, err } = await io(t, { PORT: 'x', LOG_LEVEL: 'loud' });
  t.is(await main(['migrate'], value), EXIT.config);
  t.regex(err.join('\n'), /PORT="x".*LOG_LEVEL="loud"|LOG_LEVEL="loud".*PORT="x"/);
});

test('migrate applies the schema once, then says it is up to date', async (t) => {
  const { io: value, out } = await io(t);
  t.is(await main(['migrate'], value), EXIT.ok);
  t.is(await main(['migrate'], value), EXIT.ok);
  t.deepEqual(out, ['Applied: 001-initial, 002-sync', 'The schema is up to date.']);
});

test('token create prints a new admin token on stdout and nothing secret on stderr', async (t) => {
  const { io: value, out, err } = await io(t);
  t.is(await main(['token', 'create', '--role', 'registrar', '--label', 'field'], value), EXIT.ok);
  t.is(out.length, 1);
  t.regex(out[0]!, /^lka_[A-Za-z0-9_-]{43}$/);
  t.regex(err.join('\n'), /registrar token/);
  t.false(err.join('\n').includes(out[0]!));
});

test('token create without a role is a usage error', async (t) => {
  const { io: value, err } = await io(t);
  t.is(await main(['token', 'create'], value), EXIT.usage);
  t.regex(err.join('\n'), /--role admin\|registrar/);
});

test('token create with an unknown option is a usage error', async (t) => {
  const { io: value } = await io(t);
  t.is(await main(['token', 'create', '--role', 'admin', '--colour', 'red'], value), EXIT.usage);
});

test('serve without blob storage exits 78 naming AZURE_STORAGE_CONNECTION_STRING', async (t) => {
  const { io: value, err } = await io(t);
  t.is(await main(['serve'], value), EXIT.config);
  t.regex(err.join('\n'), /AZURE_STORAGE_CONNECTION_STRING/);
});

test('serve listens on HTTP and SMTP until asked to stop, then exits 0', async (t) => {
  const {
    io: value,
    out,
    stop,
  } = await io(t, {
    AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString,
    HOST: '127.0.0.1',
    PORT: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
  });
  const running = main(['serve'], value);
  const line = await waitFor(() => out.find((l) => l.startsWith('lokole-cloud listening')));
  const [, port] = /http on (\d+)/.exec(line)!;
  t.is(await (await fetch(`http://127.0.0.1:${port}/healthcheck/ping`)).text(), 'OK');
  stop();
  t.is(await running, EXIT.ok);
});

test('worker runs the embedded queue until asked to stop, then exits 0', async (t) => {
  const {
    io: value,
    out,
    stop,
  } = await io(t, { AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString });
  const running = main(['worker'], value);
  await waitFor(() => out.find((l) => l.includes('worker running (embedded queue)')));
  stop();
  t.is(await running, EXIT.ok);
});
