import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ModemTable, StickModel } from './tables.js';

export type UsbMode = 'storage' | 'modem' | 'hilink' | 'unknown';
export type PortRole = 'modem' | 'diag' | 'pcui' | 'unknown';

export interface SerialPortInfo {
  /** `ttyUSB2` */
  tty: string;
  /** `/dev/ttyUSB2` */
  devicePath: string;
  /** `/dev/serial/by-id/usb-HUAWEI_…-if02-port0` when udev made one: it survives renumbering. */
  byIdPath: string | undefined;
  interfaceNumber: number | undefined;
  role: PortRole;
}

export interface UsbStick {
  /** The sysfs name of the USB device, `1-1.3`. */
  usbName: string;
  vendorId: string;
  productId: string;
  /** From `config/modems.json`, when the product id is known. */
  model: string | undefined;
  /** The USB product string, `HUAWEI Mobile`. */
  product: string | undefined;
  mode: UsbMode;
  busNumber: number | undefined;
  deviceNumber: number | undefined;
  ports: SerialPortInfo[];
  /** wvdial's port (interface 0). Never opened by diagnostics while it dials. */
  modemPort: SerialPortInfo | undefined;
  /** The diagnostics port (interface 2): AT only, usable next to a PPP session on some firmware. */
  pcuiPort: SerialPortInfo | undefined;
  /** `eth1`/`usb0` for a HiLink stick. */
  netInterface: string | undefined;
}

export interface Discovery {
  sticks: UsbStick[];
  /** The stick to use: the first in modem mode, else the first known one. */
  stick: UsbStick | undefined;
}

export interface DiscoveryOptions {
  table: ModemTable;
  /** `/sys`, or a fixture tree in tests. */
  sysfsRoot?: string;
  /** `/dev/serial/by-id`. */
  byIdDir?: string;
  /** `/dev`, for the device paths we report. */
  devDir?: string;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function resolved(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

function hexInt(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : undefined;
}

export function classifyProduct(
  table: ModemTable,
  vendorId: string,
  productId: string,
): { mode: UsbMode; model: StickModel | undefined } {
  // Modem ids first: 1f01 is storage for an E353 but never a modem id, while 1506 is only ever a modem.
  for (const mode of ['modem', 'hilink', 'storage'] as const) {
    const model = table.sticks.find(
      (stick) => stick.vendorId === vendorId && stick[mode].includes(productId),
    );
    if (model) return { mode, model };
  }
  return { mode: 'unknown', model: undefined };
}

function roleOf(
  table: ModemTable,
  interfaceNumber: number | undefined,
  ids: { cls?: string; subclass?: string; protocol?: string },
): PortRole {
  // Newer firmware labels its interfaces (ModemManager's 77-mm-huawei-net-port-types.rules):
  // class ff, subclass 01/02, protocol 01 = modem/PPP, 02 = PCUI. Older 1001 sticks say ff/ff/ff.
  if (ids.cls === 'ff' && (ids.subclass === '01' || ids.subclass === '02')) {
    if (ids.protocol === '01') return 'modem';
    if (ids.protocol === '02') return 'pcui';
  }
  if (interfaceNumber === table.ports.modem) return 'modem';
  if (interfaceNumber === table.ports.pcui) return 'pcui';
  if (interfaceNumber === table.ports.diag) return 'diag';
  return 'unknown';
}

/**
 * Finds USB modems from sysfs, as `lsusb` and udev would, without spawning anything:
 * serialport's `list()` needs `udevadm` and crashes without it.
 */
export async function discoverModems(options: DiscoveryOptions): Promise<Discovery> {
  const sysfsRoot = options.sysfsRoot ?? '/sys';
  const byIdDir = options.byIdDir ?? '/dev/serial/by-id';
  const devDir = options.devDir ?? '/dev';
  const { table } = options;
  const knownVendors = new Set(Object.keys(table.vendors));

  const sticks = new Map<string, UsbStick>();
  const usbDevicesDir = path.join(sysfsRoot, 'bus/usb/devices');
  for (const name of await list(usbDevicesDir)) {
    const dir = await resolved(path.join(usbDevicesDir, name));
    if (!dir) continue;
    const vendorId = await readText(path.join(dir, 'idVendor'));
    const productId = await readText(path.join(dir, 'idProduct'));
    if (!vendorId || !productId || !knownVendors.has(vendorId)) continue;
    const { mode, model } = classifyProduct(table, vendorId, productId);
    sticks.set(dir, {
      usbName: name,
      vendorId,
      productId,
      model: model?.model,
      product: await readText(path.join(dir, 'product')),
      mode,
      busNumber: Number(await readText(path.join(dir, 'busnum'))) || undefined,
      deviceNumber: Number(await readText(path.join(dir, 'devnum'))) || undefined,
      ports: [],
      modemPort: undefined,
      pcuiPort: undefined,
      netInterface: undefined,
    });
  }

  const byId = new Map<string, string>();
  for (const name of await list(byIdDir)) {
    try {
      const target = await readlink(path.join(byIdDir, name));
      byId.set(path.basename(target), path.join(byIdDir, name));
    } catch {
      // not a link: ignore
    }
  }

  /** The interface directory (`…/1-1:1.2`) behind a tty or network device, and its USB device. */
  async function interfaceOf(classDir: string, name: string) {
    const device = await resolved(path.join(classDir, name, 'device'));
    if (!device) return undefined;
    // ttyUSB: device is the usb-serial port inside the interface; ttyACM and net: the interface itself.
    const ifaceDir =
      (await readText(path.join(device, 'bInterfaceNumber'))) === undefined ? path.dirname(device) : device;
    const stick = sticks.get(path.dirname(ifaceDir));
    return stick ? { ifaceDir, stick } : undefined;
  }

  const ttyClassDir = path.join(sysfsRoot, 'class/tty');
  for (const tty of (await list(ttyClassDir)).sort(naturalOrder)) {
    if (!/^tty(USB|ACM)\d+$/.test(tty)) continue;
    const found = await interfaceOf(ttyClassDir, tty);
    if (!found) continue;
    const interfaceNumber = hexInt(await readText(path.join(found.ifaceDir, 'bInterfaceNumber')));
    const role = roleOf(table, interfaceNumber, {
      cls: await readText(path.join(found.ifaceDir, 'bInterfaceClass')),
      subclass: await readText(path.join(found.ifaceDir, 'bInterfaceSubClass')),
      protocol: await readText(path.join(found.ifaceDir, 'bInterfaceProtocol')),
    });
    const port: SerialPortInfo = {
      tty,
      devicePath: path.join(devDir, tty),
      byIdPath: byId.get(tty),
      interfaceNumber,
      role,
    };
    found.stick.ports.push(port);
    if (role === 'modem') found.stick.modemPort ??= port;
    if (role === 'pcui') found.stick.pcuiPort ??= port;
  }

  const netClassDir = path.join(sysfsRoot, 'class/net');
  for (const name of await list(netClassDir)) {
    const found = await interfaceOf(netClassDir, name);
    if (found) found.stick.netInterface ??= name;
  }

  const all = [...sticks.values()].sort((a, b) => naturalOrder(a.usbName, b.usbName));
  return {
    sticks: all,
    stick:
      all.find((stick) => stick.mode === 'modem') ?? all.find((stick) => stick.mode !== 'unknown') ?? all[0],
  };
}

function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The path to hand to wvdial or the AT client: by-id when udev made one, since ttyUSB numbers move. */
export function portPath(port: SerialPortInfo): string {
  return port.byIdPath ?? port.devicePath;
}

/** One sentence for the top of the diagnostics page about what the USB bus shows. */
export function describeStick(stick: UsbStick | undefined): string {
  if (!stick) {
    return 'No USB modem found: plug the stick in (through a powered USB hub on a Raspberry Pi), wait 30 seconds and look again.';
  }
  const name = `${stick.model ? `Huawei ${stick.model}` : (stick.product ?? 'USB stick')} (${stick.vendorId}:${stick.productId})`;
  switch (stick.mode) {
    case 'storage':
      return `The ${name} is in storage mode (it shows as a CD-ROM): Lokole switches it to modem mode with usb_modeswitch; if it stays so, unplug it, wait 10 seconds and plug it back in.`;
    case 'hilink':
      return `The ${name} is in HiLink mode: it works as a network card${stick.netInterface ? ` (${stick.netInterface})` : ''} with no AT commands, so Lokole cannot read its signal or dial it. Use a stick with serial firmware, or switch it to serial mode as the manual explains.`;
    case 'modem':
      if (!stick.modemPort) {
        return `The ${name} is in modem mode but has no serial ports: the "option" driver is not loaded; reboot the Lokole.`;
      }
      return `The ${name} is in modem mode on ${portPath(stick.modemPort)}${stick.pcuiPort ? `, diagnostics on ${portPath(stick.pcuiPort)}` : ''}.`;
    default:
      return `The USB device ${name} is not a modem Lokole knows: it may still work if it has serial ports; otherwise use a Huawei E303, E353 or E3131.`;
  }
}
