import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutionContext } from 'ava';

async function findOnPath(tool: string): Promise<string | undefined> {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
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

/**
 * Fails (never skips) when a Debian tool the test drives is missing, saying how to get it:
 * a skipped hardware test would hide a broken dial path.
 */
export async function requireTools(t: ExecutionContext, tools: string[]): Promise<boolean> {
  const missing: string[] = [];
  for (const tool of tools) if (!(await findOnPath(tool))) missing.push(tool);
  if (missing.length === 0) return true;
  t.fail(
    `${missing.join(', ')} not installed: \`make test\` installs socat, wvdial and ppp (scripts/install-system-packages.sh), or apt-get install socat wvdial ppp.`,
  );
  return false;
}
