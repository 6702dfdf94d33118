import path from 'node:path';
import { LokoleError } from '@lokole/protocol';
import type { Config } from './config.js';
import type { DeviceConfig } from './device-config/index.js';
import { createAlwaysOnLink, type Link } from './link/index.js';
import {
  checkDialLock,
  createModemDiagnostics,
  createModemLink,
  describeStick,
  discoverModems,
  loadCarrierTable,
  loadModemTable,
  portPath,
  type AtTransport,
  type Discovery,
  type ModemDiagnostics,
} from './modem/index.js';
import { openSerialTransport } from './serial/index.js';

/** LOKOLE_MODEM_PORT: one stick in modem mode on that port, for the fake modem in development. */
function fixedPortDiscovery(devicePath: string): Discovery {
  const port = {
    tty: path.basename(devicePath),
    devicePath,
    byIdPath: undefined,
    interfaceNumber: undefined,
    role: 'pcui' as const,
  };
  const stick = {
    usbName: 'LOKOLE_MODEM_PORT',
    vendorId: '',
    productId: '',
    model: undefined,
    product: undefined,
    mode: 'modem' as const,
    busNumber: undefined,
    deviceNumber: undefined,
    ports: [port],
    modemPort: port,
    pcuiPort: port,
    netInterface: undefined,
  };
  return { sticks: [stick], stick };
}

export interface ModemAccess {
  discover: () => Promise<Discovery>;
  diagnostics: ModemDiagnostics;
}

/** How the device finds and reads its modem: the fixed port of LOKOLE_MODEM_PORT, else sysfs. */
export async function createModemAccess(
  config: Config,
  openTransport: (port: string) => Promise<AtTransport> = (port) => openSerialTransport({ path: port }),
): Promise<ModemAccess> {
  const modemTable = config.modemPort ? undefined : loadModemTable();
  modemTable?.catch(() => undefined);
  const discover = async () =>
    config.modemPort ? fixedPortDiscovery(config.modemPort) : discoverModems({ table: await modemTable! });
  const diagnostics = createModemDiagnostics({
    discover,
    openTransport,
    checkDialLock: () => checkDialLock(),
    carriers: await loadCarrierTable(),
  });
  return { discover, diagnostics };
}

export type DeviceLink = { link: Link; cloudUrl: string } | { unavailable: 'local-only' | 'no-apn' };

/**
 * The link the device config asks for — none, ethernet on eth0, or the modem
 * through wvdial — used alike by `lokole sync` and the diagnostics page's
 * connection test.
 */
export function linkForDevice(
  settings: DeviceConfig,
  deps: { config: Config; modem: ModemAccess; now: () => Date },
): DeviceLink {
  if (settings.cloud.offlineOnly || settings.link === 'none') return { unavailable: 'local-only' };
  const cloudUrl = settings.cloud.url;
  if (settings.link === 'ethernet') {
    return { link: createAlwaysOnLink({ interfaceName: 'eth0', now: deps.now }), cloudUrl };
  }
  const { apn, port, ...dial } = settings.modem;
  if (!apn) return { unavailable: 'no-apn' };
  const link = createModemLink({
    dial: { ...dial, apn, modemPath: port ?? deps.config.modemPort },
    async findModemPort() {
      const { stick } = await deps.modem.discover();
      if (stick?.mode !== 'modem' || !stick.modemPort) {
        throw new LokoleError('LINK_DOWN', describeStick(stick), { reason: 'no-modem' });
      }
      return portPath(stick.modemPort);
    },
    confPath: path.join(deps.config.dataDir, 'wvdial.conf'),
    readDialConditions: () => deps.modem.diagnostics.readDialConditions(),
    checkDialLock: () => checkDialLock(),
    now: deps.now,
  });
  return { link, cloudUrl };
}
