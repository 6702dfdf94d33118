import { bytesBetween, readInterfaceBytes } from './interface-bytes.js';
import type { Link, LinkReport, LinkSession } from './link.js';

export interface AlwaysOnLinkOptions {
  /** `eth0`; bytes are counted only when it is given and exists. */
  interfaceName?: string;
  netClassDir?: string;
  now?: () => Date;
}

/** Ethernet, or a developer's machine: nothing to bring up or down, only bytes to count. */
export function createAlwaysOnLink(options: AlwaysOnLinkOptions = {}): Link {
  const now = options.now ?? (() => new Date());
  const read = async () =>
    options.interfaceName === undefined
      ? undefined
      : readInterfaceBytes(options.interfaceName, options.netClassDir);
  return {
    kind: 'ethernet',
    async up() {
      return {
        kind: 'ethernet',
        interfaceName: options.interfaceName,
        startedAt: now(),
        upMs: 0,
        localAddress: undefined,
        dial: undefined,
        startBytes: await read(),
      } satisfies LinkSession;
    },
    async down(session) {
      const end = await read();
      return {
        kind: 'ethernet',
        interfaceName: session.interfaceName,
        upMs: 0,
        connectedMs: now().getTime() - session.startedAt.getTime(),
        // Shared counters: other traffic on the interface during the sync is counted too.
        bytes: session.startBytes ? bytesBetween(session.startBytes, end) : undefined,
        dial: undefined,
        warnings: [],
      } satisfies LinkReport;
    },
  };
}
