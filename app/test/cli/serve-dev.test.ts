import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const LOKOLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/lokole.ts');

test('serve --dev answers "sync now" by starting lokole sync as its own process', async (t) => {
  t.timeout(60_000);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lokole-serve-dev-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ version: 2, link: 'ethernet' }));
  const child = spawn(process.execPath, ['--import=tsx', LOKOLE, 'serve', '--dev'], {
    env: {
      PATH: process.env.PATH,
      LOKOLE_DATA_DIR: dataDir,
      LOKOLE_DEVICE_NAME: 'goma',
      PORT: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (what: () => Promise<boolean> | boolean, label: string) => {
    for (let i = 0; i < 200; i += 1) {
      if (await what()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${label}; output so far:\n${output}`);
  };
  await waitFor(() => /on http:\/\/localhost:\d+\//.test(output), 'the webmail to listen');
  const request = path.join(dataDir, 'sync-request');
  await writeFile(request, '');
  await waitFor(
    () =>
      access(request).then(
        () => false,
        () => true,
      ),
    'the request file to be taken',
  );
  // The device is not registered, so the sync process says so and stops: proof that it ran.
  await waitFor(() => /not registered with the cloud/.test(output), 'lokole sync to run');
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.is(code, 0);
});
