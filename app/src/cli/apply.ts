import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, LokoleError, exitCodeFor } from '@lokole/protocol';
import { applyOverlay, createSystemctlReload, OVERLAY_DIR, type ReloadPlan } from '../apply/index.js';
import { DEVICE_CONFIG_FILE, loadDeviceConfig } from '../device-config/index.js';
import { loadModemTable } from '../modem/index.js';

export interface ApplyIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** For tests and the image builder: where things are, and what reloads services. */
export interface ApplyDeps {
  overlayDir?: string;
  defaultsFile?: string;
  modemsFile?: string;
  /** Replaces the systemctl reload used with `--root /`. */
  reload?: (plan: ReloadPlan) => Promise<void>;
}

const USAGE = `Usage: lokole apply --root DIR [--dry-run] [--config FILE]
  Renders overlay/ with the device config into DIR and writes the files that changed.
  With --root / it also restarts the services whose files changed.
  --root DIR     the root file system: / on a device, the image's tree when building one
  --dry-run      print what would change, write nothing
  --config FILE  the device config (default ${DEVICE_CONFIG_FILE}; when that file is missing,
                 the defaults are used: a device nobody has set up yet)
`;

/** `lokole apply`: prints `+ /path` for a new file and `~ /path` for a changed one. */
export async function runApply(argv: string[], io: ApplyIo, deps: ApplyDeps = {}): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        config: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`lokole apply: ${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (!values.root) {
    io.stderr.write(`lokole apply: --root is required (use --root / on the device)\n${USAGE}`);
    return EXIT.usage;
  }
  const root = path.resolve(values.root);
  const dryRun = values['dry-run'];
  try {
    const config = await loadDeviceConfig(values.config ?? DEVICE_CONFIG_FILE, {
      defaultsFile: deps.defaultsFile,
      // Only the default file may be missing: a --config given by hand that does not exist is a typo.
      ifMissing: values.config === undefined ? 'defaults' : 'error',
      onNote: (note) => io.stderr.write(`lokole apply: ${note}\n`),
    });
    const isLive = root === path.parse(root).root;
    const result = await applyOverlay({
      overlayDir: deps.overlayDir ?? OVERLAY_DIR,
      root,
      config,
      modemTable: await loadModemTable(deps.modemsFile),
      dryRun,
      reload: isLive ? (deps.reload ?? createSystemctlReload()) : undefined,
    });
    for (const change of result.changes)
      io.stdout.write(`${change.kind === 'new' ? '+' : '~'} ${change.path}\n`);
    if (result.changes.length === 0) io.stderr.write('lokole apply: nothing to change\n');
    else if (dryRun)
      io.stderr.write(`lokole apply: dry run, nothing written (${result.changes.length} to change)\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof LokoleError) io.stderr.write(`lokole apply: ${error.message}\n`);
    else
      io.stderr.write(
        `lokole apply: unexpected failure (a bug):\n${(error as Error).stack ?? String(error)}\n`,
      );
    return exitCodeFor(error);
  }
}
