import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LokoleError } from '@lokole/protocol';
import { writeFileAtomically, type DeviceConfig } from '../device-config/index.js';
import type { ModemTable } from '../modem/index.js';
import { renderOverlay } from './render.js';
import { isEmptyPlan, planReload, type ReloadPlan } from './services.js';

export interface FileChange {
  /** In the root file system: `/etc/hostapd/hostapd.conf`. */
  path: string;
  kind: 'new' | 'changed';
}

export interface ApplyOptions {
  overlayDir: string;
  /** The root file system to write into: `/` on a device, the image's tree when building one. */
  root: string;
  config: DeviceConfig;
  modemTable: ModemTable;
  /** Compare only; write nothing, reload nothing. */
  dryRun?: boolean;
  /**
   * Restarts what owns the changed files. The CLI passes the systemctl one for `--root /` only;
   * without it nothing is reloaded (an image being built has nothing running).
   */
  reload?: (plan: ReloadPlan) => Promise<void>;
}

export interface ApplyResult {
  changes: FileChange[];
  /** What was (or, in a dry run, would be) restarted or reloaded. */
  plan: ReloadPlan;
}

async function compare(file: string, content: Buffer, mode: number): Promise<FileChange['kind'] | undefined> {
  let info;
  try {
    info = await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'new';
    throw error;
  }
  if (info.isDirectory()) {
    throw new LokoleError(
      'CONFLICT',
      `${file} is a folder where Lokole writes a file: move it away, then apply again.`,
      {
        reason: 'folder-in-the-way',
      },
    );
  }
  // A symlink is replaced by a file, whatever it points to.
  if (!info.isFile()) return 'changed';
  if ((info.mode & 0o7777) !== mode) return 'changed';
  return (await readFile(file)).equals(content) ? undefined : 'changed';
}

/**
 * Renders the overlay with the config into `root` and writes the files whose content or mode
 * differ, each atomically: a second apply of the same config changes nothing.
 */
export async function applyOverlay(options: ApplyOptions): Promise<ApplyResult> {
  const files = await renderOverlay(options);
  const changes: FileChange[] = [];
  for (const file of files) {
    const target = path.join(options.root, file.path);
    const kind = await compare(target, file.content, file.mode);
    if (kind === undefined) continue;
    changes.push({ path: file.path, kind });
    if (!options.dryRun) await writeFileAtomically(target, file.content, file.mode);
  }
  const plan = planReload(changes.map((change) => change.path));
  if (!options.dryRun && options.reload && !isEmptyPlan(plan)) await options.reload(plan);
  return { changes, plan };
}
