// `npm run build -w app`: the server as one ESM file for plain `node`, as the device runs it.
// app/dist/lokole.js holds our code, @lokole/protocol and the pure-JS dependencies; the native
// modules stay in node_modules. The views and public files are copied beside it (dist/views,
// dist/public: the bundle looks for them next to itself); app/translations is read in place.
// Running without tsx saves its loader thread and the TypeScript compilation at start.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Native addons (and their loaders) are installed for the device's CPU, never bundled. */
export const NATIVE_MODULES = [
  'better-sqlite3',
  'sharp',
  '@node-rs/argon2',
  'serialport',
  '@serialport/*',
  '@mongodb-js/zstd',
];

// knex requires every dialect's driver by name; only better-sqlite3 is installed and used.
const UNUSED_DRIVERS = [
  'pg',
  'pg-query-stream',
  'pg-native',
  'mysql',
  'mysql2',
  'mariadb',
  'mariadb/*',
  'oracledb',
  'tedious',
  'sqlite3',
  'libsql',
];

/**
 * How the device starts the bundle (the systemd unit's ExecStart and Environment; the benchmark
 * starts it the same way). Measured on the benchmark's warm server (RSS, MB):
 * - `--max-semi-space-size=1`: V8's young generation grows to 2 × 16 MB under load by default;
 *   1 MB semi-spaces keep it at ~2 MB (−30 MB), for more, cheaper scavenges.
 * - `--optimize-for-size`: the old generation grows in smaller steps (heap total 38 → 25 MB).
 * - MALLOC_ARENA_MAX=2: glibc otherwise gives each thread (libuv pool, V8 platform) its own
 *   arena; MALLOC_TRIM_THRESHOLD_/MALLOC_MMAP_THRESHOLD_ hand freed memory back (−10 to −20 MB).
 */
export const DEVICE_NODE_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'] as const;
export const DEVICE_ENV = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_TRIM_THRESHOLD_: '65536',
  MALLOC_MMAP_THRESHOLD_: '65536',
} as const;

/** Builds `<outDir>/lokole.js` with views and public files beside it; returns the bundle's path. */
export async function buildServer(outDir = path.join(APP_DIR, 'dist')): Promise<string> {
  const outfile = path.join(outDir, 'lokole.js');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(APP_DIR, 'src/cli/lokole.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The bundled CommonJS packages call require(); an ESM file has none of its own.
    banner: {
      js: "import { createRequire as __lokoleCreateRequire } from 'node:module'; const require = __lokoleCreateRequire(import.meta.url);",
    },
    external: [...NATIVE_MODULES, ...UNUSED_DRIVERS],
    // Names stay readable in stack traces and CPU profiles (identifier minifying saved ~1 MB of heap).
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  // The folder says its own module type, so it runs wherever the image builder puts it.
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  await cp(path.join(APP_DIR, 'src/web/views'), path.join(outDir, 'views'), { recursive: true });
  await cp(path.join(APP_DIR, 'src/web/public'), path.join(outDir, 'public'), { recursive: true });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const outfile = await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`built ${path.relative(process.cwd(), outfile)} in ${Date.now() - started} ms`);
}
