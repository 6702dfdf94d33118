import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { InterfaceBytes } from './link.js';

export const SYS_CLASS_NET = '/sys/class/net';

/** The kernel's counters for an interface, or undefined when it does not exist (ppp0 after hang-up). */
export async function readInterfaceBytes(
  name: string,
  netClassDir = SYS_CLASS_NET,
): Promise<InterfaceBytes | undefined> {
  try {
    const [rx, tx] = await Promise.all(
      ['rx_bytes', 'tx_bytes'].map(async (file) =>
        Number((await readFile(path.join(netClassDir, name, 'statistics', file), 'utf8')).trim()),
      ),
    );
    if (!Number.isFinite(rx) || !Number.isFinite(tx)) return undefined;
    return { rx: rx ?? 0, tx: tx ?? 0 };
  } catch {
    return undefined;
  }
}

/** Bytes between two readings; a counter that went back means the interface was recreated. */
export function bytesBetween(
  start: InterfaceBytes | undefined,
  end: InterfaceBytes | undefined,
): InterfaceBytes | undefined {
  if (!end) return undefined;
  if (!start) return end;
  return {
    rx: end.rx >= start.rx ? end.rx - start.rx : end.rx,
    tx: end.tx >= start.tx ? end.tx - start.tx : end.tx,
  };
}
