import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { runApply } from '../../src/cli/apply.js';
import { tempDir } from '../device-config/helpers.js';

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  let reloads = 0;
  const code = await runApply(argv, { stdout, stderr }, { reload: async () => void (reloads += 1) });
  return { code, out, err, reloads };
}

async function configFile(t: Parameters<typeof tempDir>[0], config: object): Promise<string> {
  const file = path.join(await tempDir(t), 'config.json');
  await writeFile(file, JSON.stringify(config));
  return file;
}

test('a first apply prints one "+" line per new file and exits 0', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await configFile(t, { version: 2 });
  const { code, out } = await run(['--root', root, '--config', config]);
  t.is(code, 0);
  const lines = out.trim().split('\n');
  t.true(lines.includes('+ /etc/hostapd/hostapd.conf'));
  t.true(lines.every((line) => line.startsWith('+ /')));
});

test('a second apply prints nothing on stdout; a changed setting prints "~"', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  await run(['--root', root, '--config', await configFile(t, { version: 2 })]);
  const again = await run(['--root', root, '--config', await configFile(t, { version: 2 })]);
  t.is(again.out, '');
  t.regex(again.err, /nothing to change/);
  const changed = await run([
    '--root',
    root,
    '--config',
    await configFile(t, { version: 2, hotspot: { channel: 1 } }),
  ]);
  t.is(changed.out, '~ /etc/hostapd/hostapd.conf\n');
});

test('--dry-run prints the changes and writes nothing', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const { code, out, err } = await run([
    '--root',
    root,
    '--dry-run',
    '--config',
    await configFile(t, { version: 2 }),
  ]);
  t.is(code, 0);
  t.regex(out, /^\+ \/etc\/dnsmasq\.d\/lokole\.conf$/m);
  t.regex(err, /dry run, nothing written/);
  t.deepEqual(await readdir(root), []);
});

test('a root other than / never reloads services', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const { reloads } = await run(['--root', root, '--config', await configFile(t, { version: 2 })]);
  t.is(reloads, 0);
});

test('without --root it is a usage error (64)', async (t) => {
  const { code, err } = await run(['--dry-run']);
  t.is(code, 64);
  t.regex(err, /--root is required/);
});

test('an unknown option is a usage error (64)', async (t) => {
  const { code, err } = await run(['--root', '/tmp', '--force']);
  t.is(code, 64);
  t.regex(err, /Usage: lokole apply/);
});

test('a bad config exits 78 naming every bad setting and writes nothing', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await configFile(t, { version: 2, hotspot: { channel: 40 }, lan: { address: 'home' } });
  const { code, err } = await run(['--root', root, '--config', config]);
  t.is(code, 78);
  t.regex(err, /hotspot\.channel: .*lan\.address: /);
  t.deepEqual(await readdir(root), []);
});

test('a --config file that does not exist exits 78', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const { code, err } = await run(['--root', root, '--config', path.join(root, 'nothere.json')]);
  t.is(code, 78);
  t.regex(err, /nothere\.json does not exist/);
});

test('an original Lokole settings file is applied with a note about what was dropped', async (t) => {
  const root = await tempDir(t, 'lokole-root-');
  const config = await configFile(t, {
    OPWEN_CLIENT_NAME: 'kimpese',
    OPWEN_SIM_TYPE: 'Ethernet',
    OPWEN_SESSION_KEY: 'x',
  });
  const { code, err } = await run(['--root', root, '--config', config]);
  t.is(code, 0);
  t.regex(err, /Not carried over .*OPWEN_SESSION_KEY/);
});
