import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { isLokoleError, LokoleError } from '@lokole/protocol';
import { cronToOnCalendar, parseCidr, type DeviceConfig, type Subnet } from '../device-config/index.js';
import { renderWvdialConf, type ModemTable } from '../modem/index.js';
import { OVERLAY_DIR } from '../paths.js';

/** The repository's `overlay/`: in /opt/lokole/overlay on a device (overlay/README.md). */
export { OVERLAY_DIR };

export interface RenderedFile {
  /** Where it goes in the root file system: `/etc/hostapd/hostapd.conf`. */
  path: string;
  content: Buffer;
  mode: number;
}

export interface RenderOptions {
  overlayDir: string;
  config: DeviceConfig;
  modemTable: ModemTable;
}

/** Files holding a password: the WiFi passphrase, the APN password. */
const PRIVATE_FILES = new Set(['/etc/hostapd/hostapd.conf', '/etc/wvdial.conf']);

/** Documentation of overlay/ itself, not part of the root file system. */
const NOT_INSTALLED = new Set(['/README.md']);

export interface ModeSwitchEntry {
  vendorId: string;
  from: string;
  to: string;
  messageContent: string;
  source: string;
  /** The sticks that show this storage id. */
  models: string;
}

/** What templates see, besides `config`. */
export interface TemplateData {
  config: DeviceConfig;
  lan: Subnet;
  /** `<device name>.<root domain>` */
  domain: string;
  onCalendar: string;
  wvdialConf: string;
  modeSwitch: (vendorId: string, productId: string) => ModeSwitchEntry;
}

// Config files have no quoting: a value with a line break would add a directive of its own.
// The schema refuses such values already; this is the second lock.
function escapeValue(value: unknown): string {
  const text = String(value);
  if (/[\r\n\0]/.test(text)) {
    throw new LokoleError(
      'BAD_CONFIG',
      `The value ${JSON.stringify(text)} has a line break and cannot go into a config file.`,
      {
        reason: 'line-break',
      },
    );
  }
  return text;
}

function renderWvdial(config: DeviceConfig): string {
  const header = '# Written by `lokole apply` from the device config; changes here are overwritten.\n';
  if (config.link !== 'modem') {
    return `${header}# The link is "${config.link}": Lokole does not dial, and this file is not used.\n`;
  }
  if (config.modem.apn === null) {
    return `${header}# No APN is set yet: enter it in the modem settings (the SIM packaging says it).\n`;
  }
  const note =
    config.modem.port === null
      ? '# lokole sync finds the modem port at each dial and writes its own copy; /dev/ttyUSB0 is the\n# usual port for running `wvdial` by hand.\n'
      : '';
  return (
    note +
    renderWvdialConf({
      modemPath: config.modem.port ?? '/dev/ttyUSB0',
      apn: config.modem.apn,
      username: config.modem.username,
      password: config.modem.password,
      phone: config.modem.phone,
    })
  );
}

function modeSwitchFrom(table: ModemTable) {
  return (vendorId: string, productId: string): ModeSwitchEntry => {
    const sticks = table.sticks.filter((stick) => stick.vendorId === vendorId);
    const entry = sticks.flatMap((stick) => stick.switches).find((candidate) => candidate.from === productId);
    if (!entry) {
      throw new LokoleError(
        'BAD_CONFIG',
        `config/modems.json has no switch message for ${vendorId}:${productId}.`,
        {
          reason: 'no-switch-message',
        },
      );
    }
    const models = sticks.filter((stick) => stick.storage.includes(productId)).map((stick) => stick.model);
    return { vendorId, ...entry, models: models.join(', ') };
  };
}

export function templateData(config: DeviceConfig, modemTable: ModemTable): TemplateData {
  const lan = parseCidr(config.lan.address);
  if (!lan) throw new LokoleError('BAD_CONFIG', `The LAN address ${config.lan.address} is not valid.`);
  return {
    config,
    lan,
    domain: `${config.device.name}.${config.device.rootDomain}`,
    onCalendar: cronToOnCalendar(config.sync.schedule, config.timeZone),
    wvdialConf: renderWvdial(config),
    modeSwitch: modeSwitchFrom(modemTable),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Every file of the overlay as it goes into the root file system: `.ejs` templates rendered with
 * the config (the suffix dropped), other files copied. Mode 755 for executables, 600 for files
 * holding a password, else 644.
 */
export async function renderOverlay(options: RenderOptions): Promise<RenderedFile[]> {
  const data = templateData(options.config, options.modemTable);
  const files: RenderedFile[] = [];
  for (const source of await listFiles(options.overlayDir)) {
    const relative = `/${path.relative(options.overlayDir, source).split(path.sep).join('/')}`;
    if (NOT_INSTALLED.has(relative)) continue;
    const isTemplate = relative.endsWith('.ejs');
    const target = isTemplate ? relative.slice(0, -'.ejs'.length) : relative;
    let content: Buffer;
    if (isTemplate) {
      try {
        const template = await readFile(source, 'utf8');
        content = Buffer.from(ejs.render(template, data, { filename: source, escape: escapeValue }));
      } catch (error) {
        if (isLokoleError(error)) throw error;
        throw new LokoleError('BAD_CONFIG', `Cannot render overlay${relative}: ${(error as Error).message}`, {
          reason: 'template-failed',
          cause: error,
        });
      }
    } else {
      content = await readFile(source);
    }
    const isExecutable = ((await stat(source)).mode & 0o111) !== 0;
    const mode = PRIVATE_FILES.has(target) ? 0o600 : isExecutable ? 0o755 : 0o644;
    files.push({ path: target, content, mode });
  }
  return files;
}
