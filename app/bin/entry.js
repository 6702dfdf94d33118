// Which file `lokole` runs. The device runs the bundle that `npm run build` makes
// (dist/lokole.js, plain node: no tsx loader thread, no TypeScript compilation at start).
// In a checkout, the bundle is used only while it is newer than every source it was built
// from; otherwise the TypeScript sources run through tsx, so an edit is never hidden by a
// stale bundle.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time (ms) of the files under `dir`; 0 when there is no such folder. */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * @param {string} appDir the app folder (holding bin/, src/ and, once built, dist/)
 * @returns {{ kind: 'bundle' | 'sources', file: string }}
 */
export function pickEntry(appDir) {
  const bundle = path.join(appDir, 'dist', 'lokole.js');
  const sources = path.join(appDir, 'src', 'cli', 'lokole.ts');
  if (!existsSync(bundle)) return { kind: 'sources', file: sources };
  const built = statSync(bundle).mtimeMs;
  // @lokole/protocol is bundled too.
  const dirs = [path.join(appDir, 'src'), path.join(appDir, '..', 'protocol', 'src')];
  const isStale = dirs.some((dir) => newestMtime(dir) > built);
  return isStale ? { kind: 'sources', file: sources } : { kind: 'bundle', file: bundle };
}
