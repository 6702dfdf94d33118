import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { OVERLAY_DIR, renderOverlay, type RenderedFile } from '../../src/apply/index.js';
import type { DeviceConfig } from '../../src/device-config/index.js';
import { loadModemTable } from '../../src/modem/index.js';

/** The overlay rendered with `config`, by path in the root file system. */
export async function renderFiles(config: DeviceConfig): Promise<Map<string, RenderedFile>> {
  const files = await renderOverlay({ overlayDir: OVERLAY_DIR, config, modemTable: await loadModemTable() });
  return new Map(files.map((file) => [file.path, file]));
}

export async function renderText(config: DeviceConfig, file: string): Promise<string> {
  const rendered = (await renderFiles(config)).get(file);
  if (!rendered) throw new Error(`${file} was not rendered`);
  return rendered.content.toString('utf8');
}

// System directories only: under npx, node_modules/.bin comes first on PATH and holds an `nft`
// of its own (@vercel/nft, a file tracer) that would "pass" any firewall.
const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

async function findTool(tool: string): Promise<string | undefined> {
  for (const dir of SYSTEM_DIRS) {
    const file = path.join(dir, tool);
    try {
      await access(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The validator's absolute path; fails (never skips) when it is missing, saying how to get it. */
export async function requireTool(
  t: ExecutionContext,
  tool: string,
  pkg: string,
): Promise<string | undefined> {
  const found = await findTool(tool);
  if (!found)
    t.fail(
      `${tool} is not installed: \`make test\` installs it (scripts/install-system-packages.sh ${pkg}).`,
    );
  return found;
}
