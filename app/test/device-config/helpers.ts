import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { checkDeviceConfig, loadDeviceDefaults, type DeviceConfig } from '../../src/device-config/index.js';

export async function tempDir(t: ExecutionContext, prefix = 'lokole-config-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

type Patch = { [key: string]: unknown };

function patch(target: Patch, changes: Patch): void {
  for (const [key, value] of Object.entries(changes)) {
    const current = target[key];
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
    ) {
      patch(current as Patch, value as Patch);
    } else {
      target[key] = value;
    }
  }
}

/** The defaults with some settings changed, unvalidated: for schema tests. */
export async function rawConfig(changes: Patch = {}): Promise<Patch> {
  const config = structuredClone(await loadDeviceDefaults()) as unknown as Patch;
  patch(config, changes);
  return config;
}

/** The defaults with some settings changed; throws if the result is not a valid config. */
export async function deviceConfig(changes: Patch = {}): Promise<DeviceConfig> {
  const { config, problems } = checkDeviceConfig(await rawConfig(changes));
  if (!config) throw new Error(`test config is invalid: ${problems.join('; ')}`);
  return config;
}
