import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { APP_DIR, DEVICE_ENV, DEVICE_NODE_FLAGS, buildServer } from '../../scripts/build.js';

test('the build makes a bundle that plain node runs: it migrates, serves the log-in page and its CSS', async (t) => {
  // Built inside app/ so the bundle finds node_modules and app/translations as on the device.
  const outDir = await mkdtemp(path.join(APP_DIR, '.build-test-'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lokole-build-'));
  t.teardown(async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });
  const bundle = await buildServer(outDir);
  await access(path.join(outDir, 'views/folder.ejs'));
  await access(path.join(outDir, 'public/app.css'));

  const child = spawn(process.execPath, [...DEVICE_NODE_FLAGS, bundle, 'serve'], {
    // No tsx: the test runner's --import=tsx must not reach the server.
    env: {
      PATH: process.env.PATH,
      ...DEVICE_ENV,
      NODE_ENV: 'production',
      LOKOLE_DATA_DIR: dataDir,
      LOKOLE_DEVICE_NAME: 'goma',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => child.kill('SIGTERM'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/localhost:\d+)\//.exec(out);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`the bundle exited with ${code}: ${stderr}`)));
  });
  const login = await fetch(`${base}/login`, { headers: { 'accept-language': 'fr' } });
  t.is(login.status, 200);
  t.regex(await login.text(), /name="_csrf"/);
  const css = await fetch(`${base}/static/app.css`);
  t.is(css.status, 200);
  t.regex(css.headers.get('cache-control') ?? '', /max-age=604800/);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.is(code, 0, stderr);
});

test('the bundle finds config/ and overlay/ beside app/, as the sources do', async (t) => {
  const outDir = await mkdtemp(path.join(APP_DIR, '.build-test-'));
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-build-root-'));
  t.teardown(async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });
  const bundle = await buildServer(outDir);
  const child = spawn(process.execPath, [bundle, 'apply', '--root', root, '--dry-run'], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const [code] = await once(child, 'exit');
  t.is(code, 0, err);
  t.regex(out, /^\+ .*etc\/hostapd\/hostapd\.conf$/m);
  t.regex(out, /^\+ .*etc\/usb_modeswitch\.d\/12d1:1f01$/m, 'rendered from config/modems.json');
});
