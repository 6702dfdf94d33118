import { LokoleError } from '@lokole/protocol';
import { DEVICE_CONFIG_VERSION } from './schema.js';

/**
 * Config shapes, oldest first:
 *
 * - **v1** (no `version` field): the original Lokole's `settings.env`, imported as one JSON object
 *   of its variables, all strings: `{ "OPWEN_CLIENT_NAME": "kinshasa", "OPWEN_SIM_TYPE": "hologram",
 *   "OPWEN_SYNC_SCHEDULE": "0 2 * * *", … }` (original-lokole.md §2). `parseSettingsEnv` reads the file.
 * - **v2**: `DeviceConfigSchema` in schema.ts.
 *
 * A migration only reshapes; the result is merged with the defaults and validated afterwards, so a
 * value that does not fit is reported like any bad setting.
 */
export interface Migration {
  /** In the current shape, possibly partial. */
  config: Record<string, unknown>;
  fromVersion: number;
  /** What the technician should know: settings that could not be carried over. */
  notes: string[];
}

type Settings = Record<string, unknown>;

function isObject(value: unknown): value is Settings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Carried over below; every other OPWEN_ variable is named in a note.
const V1_KNOWN = new Set([
  'OPWEN_CLIENT_NAME',
  'OPWEN_ROOT_DOMAIN',
  'OPWEN_SIM_TYPE',
  'OPWEN_SYNC_SCHEDULE',
  'OPWEN_MAX_UPLOAD_SIZE_MB',
  'LOKOLE_MAX_WIDTH_EMAIL_IMAGES',
  'LOKOLE_MAX_HEIGHT_EMAIL_IMAGES',
]);

function text(settings: Settings, name: string): string | undefined {
  const value = settings[name];
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

function fromV1(settings: Settings): Migration {
  const notes: string[] = [];
  const config: Settings = { version: DEVICE_CONFIG_VERSION };
  const device: Settings = {};
  const name = text(settings, 'OPWEN_CLIENT_NAME');
  if (name !== undefined) device['name'] = name.toLowerCase();
  const rootDomain = text(settings, 'OPWEN_ROOT_DOMAIN');
  if (rootDomain !== undefined) device['rootDomain'] = rootDomain.toLowerCase();
  if (Object.keys(device).length > 0) config['device'] = device;

  // The original server spoke another protocol and handed out shared storage keys (issue #64
  // upstream): nothing of it works with the Lokole cloud, so the device registers afresh.
  if (text(settings, 'OPWEN_EMAIL_SERVER_ENDPOINT') ?? text(settings, 'OPWEN_EMAIL_SERVER_HOSTNAME')) {
    notes.push(
      'The original Lokole server settings were not carried over: register the device with the Lokole cloud.',
    );
  }

  const simType = text(settings, 'OPWEN_SIM_TYPE');
  switch (simType?.toLowerCase()) {
    case undefined:
      break;
    case 'hologram':
      // The original's built-in Hologram profile (modem.md §3.3).
      config['link'] = 'modem';
      config['modem'] = { carrier: 'hologram', apn: 'apn.konekt.io', phone: '*99***1#' };
      break;
    case 'wvdial':
    case 'mkwvconf':
      config['link'] = 'modem';
      notes.push(
        `The SIM type was "${simType}": the APN lived in a separate wvdial file that was not imported; enter the APN in the modem settings.`,
      );
      break;
    case 'ethernet':
      config['link'] = 'ethernet';
      break;
    case 'localonly':
      config['link'] = 'none';
      config['cloud'] = { offlineOnly: true };
      break;
    default:
      notes.push(
        `The SIM type "${simType}" is unknown; the link was left at its default: check the link settings.`,
      );
  }

  const schedule = text(settings, 'OPWEN_SYNC_SCHEDULE');
  if (schedule !== undefined) config['sync'] = { schedule };

  const maxUploadMb = Number(text(settings, 'OPWEN_MAX_UPLOAD_SIZE_MB') ?? '0');
  if (Number.isInteger(maxUploadMb) && maxUploadMb > 0) config['attachmentThresholdKb'] = maxUploadMb * 1024;

  // The original shrank every photo to fit 200×200; keep the data cost users are used to.
  config['photoPolicy'] = 'thumbnail-200';

  const dropped = Object.keys(settings)
    .filter((key) => key.startsWith('OPWEN_') && !V1_KNOWN.has(key))
    .filter((key) => !/^OPWEN_EMAIL_SERVER_(ENDPOINT|HOSTNAME)$/.test(key))
    .sort();
  if (dropped.length > 0) notes.push(`Not carried over (no longer used): ${dropped.join(', ')}.`);
  return { config, fromVersion: 1, notes };
}

/** Brings a parsed config file of any known shape to the current one. */
export function migrateDeviceConfig(raw: unknown): Migration {
  if (!isObject(raw)) {
    throw new LokoleError('BAD_CONFIG', 'The device config must be a JSON object.', {
      reason: 'not-an-object',
    });
  }
  const version = raw['version'];
  if (version === undefined) return fromV1(raw);
  if (version === DEVICE_CONFIG_VERSION)
    return { config: raw, fromVersion: DEVICE_CONFIG_VERSION, notes: [] };
  if (typeof version === 'number' && Number.isInteger(version) && version > DEVICE_CONFIG_VERSION) {
    throw new LokoleError(
      'BAD_CONFIG',
      `The device config is version ${version}, written by a newer Lokole than this one (version ${DEVICE_CONFIG_VERSION}): update Lokole.`,
      { reason: 'config-too-new' },
    );
  }
  throw new LokoleError(
    'BAD_CONFIG',
    `The device config has an unknown version ${JSON.stringify(version)}.`,
    {
      reason: 'bad-version',
    },
  );
}

/**
 * Reads the original Lokole's `settings.env` (dotenv: `NAME=value`, optional quotes, `#` comments)
 * into the v1 shape.
 */
export function parseSettingsEnv(content: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const rawLine of content.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] as string).trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] as string;
    else value = value.replace(/\s+#.*$/, '');
    settings[match[1] as string] = value;
  }
  return settings;
}
