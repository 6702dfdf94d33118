import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionContext } from 'ava';

export interface FixtureInterface {
  number: number;
  tty?: string;
  net?: string;
  /** bInterfaceClass/SubClass/Protocol, as newer firmware labels them. */
  ids?: [string, string, string];
}

export interface FixtureStick {
  usb: string;
  vendorId: string;
  productId: string;
  product?: string;
  interfaces: FixtureInterface[];
}

async function link(target: string, at: string): Promise<void> {
  await mkdir(path.dirname(at), { recursive: true });
  await symlink(path.relative(path.dirname(at), target), at);
}

/**
 * A /sys and /dev/serial/by-id laid out as the kernel does on a Pi: the tty's `device` link points
 * at the usb-serial port inside its interface (`1-1:1.2/ttyUSB2`), whose parent holds
 * bInterfaceNumber and whose grandparent holds idVendor and idProduct.
 */
export async function buildSysfs(t: ExecutionContext, sticks: FixtureStick[]) {
  const root = await mkdtemp(path.join(tmpdir(), 'lokole-sysfs-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const sysfsRoot = path.join(root, 'sys');
  const byIdDir = path.join(root, 'dev/serial/by-id');
  await mkdir(byIdDir, { recursive: true });
  await mkdir(path.join(sysfsRoot, 'class/tty/ttyAMA0'), { recursive: true }); // the Pi's UART, not a modem
  for (const [index, stick] of sticks.entries()) {
    const usbDir = path.join(sysfsRoot, 'devices/platform/soc/3f980000.usb/usb1', stick.usb);
    await mkdir(usbDir, { recursive: true });
    await writeFile(path.join(usbDir, 'idVendor'), `${stick.vendorId}\n`);
    await writeFile(path.join(usbDir, 'idProduct'), `${stick.productId}\n`);
    await writeFile(path.join(usbDir, 'product'), `${stick.product ?? 'HUAWEI Mobile'}\n`);
    await writeFile(path.join(usbDir, 'busnum'), '1\n');
    await writeFile(path.join(usbDir, 'devnum'), `${index + 4}\n`);
    await link(usbDir, path.join(sysfsRoot, 'bus/usb/devices', stick.usb));
    for (const iface of stick.interfaces) {
      const ifaceDir = path.join(usbDir, `${stick.usb}:1.${iface.number}`);
      await mkdir(ifaceDir, { recursive: true });
      await writeFile(
        path.join(ifaceDir, 'bInterfaceNumber'),
        `${iface.number.toString(16).padStart(2, '0')}\n`,
      );
      await link(ifaceDir, path.join(sysfsRoot, 'bus/usb/devices', `${stick.usb}:1.${iface.number}`));
      if (iface.ids) {
        const [cls, sub, proto] = iface.ids;
        await writeFile(path.join(ifaceDir, 'bInterfaceClass'), `${cls}\n`);
        await writeFile(path.join(ifaceDir, 'bInterfaceSubClass'), `${sub}\n`);
        await writeFile(path.join(ifaceDir, 'bInterfaceProtocol'), `${proto}\n`);
      }
      if (iface.tty) {
        const portDir = path.join(ifaceDir, iface.tty);
        await mkdir(portDir, { recursive: true });
        await link(portDir, path.join(sysfsRoot, 'class/tty', iface.tty, 'device'));
        await link(
          path.join(root, 'dev', iface.tty),
          path.join(byIdDir, `usb-HUAWEI_HUAWEI_Mobile-if${String(iface.number).padStart(2, '0')}-port0`),
        );
      }
      if (iface.net) await link(ifaceDir, path.join(sysfsRoot, 'class/net', iface.net, 'device'));
    }
  }
  return { sysfsRoot, byIdDir, devDir: path.join(root, 'dev') };
}

export const E303_MODEM: FixtureStick = {
  usb: '1-1.3',
  vendorId: '12d1',
  productId: '1506',
  interfaces: [
    { number: 0, tty: 'ttyUSB0' },
    { number: 1, tty: 'ttyUSB1' },
    { number: 2, tty: 'ttyUSB2' },
    { number: 3 },
  ],
};
