import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
// @ts-expect-error bin/ is plain JavaScript without declarations.
import { pickEntry } from '../../bin/entry.js';

type Entry = { kind: 'bundle' | 'sources'; file: string };
const pick = pickEntry as (appDir: string) => Entry;

async function appDir(t: ExecutionContext) {
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-entry-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const app = path.join(root, 'app');
  await mkdir(path.join(app, 'src/cli'), { recursive: true });
  await mkdir(path.join(app, 'src/web/views'), { recursive: true });
  await mkdir(path.join(root, 'protocol/src'), { recursive: true });
  await writeFile(path.join(app, 'src/cli/lokole.ts'), '');
  await writeFile(path.join(app, 'src/web/views/folder.ejs'), '');
  await writeFile(path.join(root, 'protocol/src/index.ts'), '');
  return { root, app };
}

async function setTime(file: string, seconds: number) {
  await utimes(file, seconds, seconds);
}

test('without a bundle, lokole runs the TypeScript sources', async (t) => {
  const { app } = await appDir(t);
  t.deepEqual(pick(app), { kind: 'sources', file: path.join(app, 'src/cli/lokole.ts') });
});

test('a bundle newer than every source is run', async (t) => {
  const { root, app } = await appDir(t);
  await mkdir(path.join(app, 'dist'));
  await writeFile(path.join(app, 'dist/lokole.js'), '');
  for (const file of ['app/src/cli/lokole.ts', 'app/src/web/views/folder.ejs', 'protocol/src/index.ts'])
    await setTime(path.join(root, file), 1_000);
  await setTime(path.join(app, 'dist/lokole.js'), 2_000);
  t.deepEqual(pick(app), { kind: 'bundle', file: path.join(app, 'dist/lokole.js') });
});

test('an edit after the build, of a view or of the protocol, makes lokole run the sources', async (t) => {
  const { root, app } = await appDir(t);
  await mkdir(path.join(app, 'dist'));
  await writeFile(path.join(app, 'dist/lokole.js'), '');
  await setTime(path.join(app, 'dist/lokole.js'), 2_000);
  for (const file of ['app/src/cli/lokole.ts', 'protocol/src/index.ts'])
    await setTime(path.join(root, file), 1_000);
  await setTime(path.join(app, 'src/web/views/folder.ejs'), 3_000);
  t.is(pick(app).kind, 'sources');
  await setTime(path.join(app, 'src/web/views/folder.ejs'), 1_000);
  t.is(pick(app).kind, 'bundle');
  await setTime(path.join(root, 'protocol/src/index.ts'), 3_000);
  t.is(pick(app).kind, 'sources');
});

test('on the device, with the bundle and no sources, the bundle is run', async (t) => {
  const { app } = await appDir(t);
  await rm(path.join(app, 'src'), { recursive: true });
  await mkdir(path.join(app, 'dist'));
  await writeFile(path.join(app, 'dist/lokole.js'), '');
  t.is(pick(app).kind, 'bundle');
});
