import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LokoleError } from '@lokole/protocol';
import { writeFileAtomically } from './atomic-file.js';
import { migrateDeviceConfig } from './migrate.js';
import { checkDeviceConfig, type DeviceConfig } from './schema.js';
import { CONFIG_DIR } from '../paths.js';

/** `config/device-defaults.json` in the repository, and in /opt/lokole on a device (overlay/README.md). */
export const DEVICE_DEFAULTS_FILE = path.join(CONFIG_DIR, 'device-defaults.json');

/** Where the device keeps its config (architecture.md, "The device"). */
export const DEVICE_CONFIG_FILE = '/var/lib/lokole/config.json';

export interface LoadDeviceConfigOptions {
  defaultsFile?: string;
  /** `defaults`: a missing file means "not set up yet" (the image builder, first boot). */
  ifMissing?: 'error' | 'defaults';
  /** Told what a migration from an older shape could not carry over. */
  onNote?: (note: string) => void;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's values over the defaults, object by object; a file value replaces arrays and scalars whole. */
function mergeOver(defaults: Json, values: Json): Json {
  const merged: Json = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    const base = defaults[key];
    merged[key] = isObject(base) && isObject(value) ? mergeOver(base, value) : value;
  }
  return merged;
}

function deepFreeze<T>(value: T): T {
  if (isObject(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

async function readJson(file: string): Promise<unknown> {
  const content = await readFile(file, 'utf8');
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new LokoleError(
      'BAD_CONFIG',
      `${file} is not valid JSON (${(error as Error).message}): fix it, or remove it to start again from the defaults.`,
      { reason: 'bad-json', cause: error },
    );
  }
}

function validated(input: unknown, where: string): DeviceConfig {
  const { config, problems } = checkDeviceConfig(input);
  if (config) return deepFreeze(config);
  throw new LokoleError(
    'BAD_CONFIG',
    `${where} has ${problems.length === 1 ? 'a bad setting' : `${problems.length} bad settings`}: ${problems.join('; ')}.`,
    {
      reason: 'bad-device-config',
    },
  );
}

async function readDefaults(file: string): Promise<Json> {
  let defaults: unknown;
  try {
    defaults = await readJson(file);
  } catch (error) {
    if (error instanceof LokoleError) throw error;
    throw new LokoleError(
      'BAD_CONFIG',
      `Cannot read the device defaults ${file}: ${(error as Error).message}. Reinstall Lokole.`,
      {
        reason: 'no-defaults',
        cause: error,
      },
    );
  }
  if (!isObject(defaults))
    throw new LokoleError('BAD_CONFIG', `${file} must hold a JSON object.`, { reason: 'bad-defaults' });
  const values = { ...defaults };
  delete values['$comment']; // documentation, not a setting
  return values;
}

/** The defaults alone, validated: the config of a device nobody has set up yet. */
export async function loadDeviceDefaults(file = DEVICE_DEFAULTS_FILE): Promise<DeviceConfig> {
  return validated(await readDefaults(file), file);
}

/**
 * Reads the device config: upgraded from an older shape if need be, merged over the defaults,
 * validated (every bad setting named in one BAD_CONFIG error) and frozen.
 */
export async function loadDeviceConfig(
  file: string,
  options: LoadDeviceConfigOptions = {},
): Promise<DeviceConfig> {
  const defaultsFile = options.defaultsFile ?? DEVICE_DEFAULTS_FILE;
  const defaults = await readDefaults(defaultsFile);
  let raw: unknown;
  try {
    raw = await readJson(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (options.ifMissing === 'defaults') return validated(defaults, defaultsFile);
      throw new LokoleError('BAD_CONFIG', `The device config ${file} does not exist.`, {
        reason: 'no-config',
        cause: error,
      });
    }
    if (error instanceof LokoleError) throw error;
    throw new LokoleError(
      'BAD_CONFIG',
      `Cannot read the device config ${file}: ${(error as Error).message}.`,
      {
        reason: 'unreadable-config',
        cause: error,
      },
    );
  }
  const migration = migrateDeviceConfig(raw);
  for (const note of migration.notes) options.onNote?.(note);
  return validated(mergeOver(defaults, migration.config), file);
}

/**
 * Writes the config atomically (temp file, fsync, rename), mode 600: it holds the device token
 * and the APN password. Refuses an invalid config, naming every bad setting.
 */
export async function saveDeviceConfig(file: string, config: DeviceConfig): Promise<void> {
  const { problems } = checkDeviceConfig(config);
  if (problems.length > 0) {
    throw new LokoleError('INVALID_INPUT', `The device config was not saved: ${problems.join('; ')}.`, {
      reason: 'bad-device-config',
    });
  }
  await writeFileAtomically(file, `${JSON.stringify(config, null, 2)}\n`, 0o600);
}
