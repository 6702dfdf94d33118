import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The app folder, found by walking up to the package.json of @lokole/app:
 * the same answer from the TypeScript sources (app/src/…) and from the
 * bundle (app/dist/lokole.js), where a path relative to the module would
 * point elsewhere.
 */
function findAppDir(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@lokole/app'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`No @lokole/app package.json above ${start}`);
  }
}

export const APP_DIR = findAppDir(path.dirname(fileURLToPath(import.meta.url)));
/** The repository (a checkout), or /opt/lokole on a device: config/ and overlay/ sit beside app/. */
export const ROOT_DIR = path.dirname(APP_DIR);
export const CONFIG_DIR = path.join(ROOT_DIR, 'config');
export const OVERLAY_DIR = path.join(ROOT_DIR, 'overlay');
export const TRANSLATIONS_DIR = path.join(APP_DIR, 'translations');
