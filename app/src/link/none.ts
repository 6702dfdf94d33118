import { LokoleError } from '@lokole/protocol';
import type { Link } from './link.js';

/** A Lokole set to local only: mail stays in the village and sync never leaves the device. */
export function createNoLink(): Link {
  return {
    kind: 'none',
    up() {
      return Promise.reject(
        new LokoleError(
          'LINK_DOWN',
          'This Lokole is set to local only, so it never connects to the internet: to sync, choose a modem or ethernet connection in the admin settings.',
          { reason: 'local-only' },
        ),
      );
    },
    down(session) {
      return Promise.resolve({
        kind: 'none',
        interfaceName: undefined,
        upMs: 0,
        connectedMs: 0,
        bytes: undefined,
        dial: undefined,
        warnings: [`down() called for a ${session.kind} session on a local-only link`],
      });
    },
  };
}
