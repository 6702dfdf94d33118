import type { Request } from 'express';
import { LokoleError } from '@lokole/protocol';
import type { AdminTokens, Principal, Role } from '../auth/index.js';
import type { Device, DeviceService } from '../devices/index.js';

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The admin principal of a request whose route needs one of `roles`; throws 401 or 403. */
export async function requireRole(
  tokens: AdminTokens,
  token: string | undefined,
  roles: readonly Role[],
): Promise<Principal> {
  if (!token) {
    throw new LokoleError(
      'UNAUTHORIZED',
      'This endpoint needs an admin token: send "Authorization: Bearer lka_…".',
      {
        reason: 'missing-token',
      },
    );
  }
  const principal = await tokens.authenticate(token);
  if (!principal) {
    throw new LokoleError(
      'UNAUTHORIZED',
      'The token is not valid; create one with `lokole-cloud token create`.',
      {
        reason: 'bad-token',
      },
    );
  }
  if (!roles.includes(principal.role)) {
    throw new LokoleError(
      'FORBIDDEN',
      `A ${principal.role} token may not do this; it needs one of: ${roles.join(', ')}.`,
      { reason: 'wrong-role' },
    );
  }
  return principal;
}

/** The device whose token the request carries; throws 401. */
export async function requireDevice(devices: DeviceService, token: string | undefined): Promise<Device> {
  const device = token ? await devices.authenticate(token) : undefined;
  if (!device) {
    throw new LokoleError(
      'UNAUTHORIZED',
      token
        ? 'The device token is not valid (replaced or never issued); register the device again or ask the operator for its new token.'
        : 'This endpoint needs a device token: send "Authorization: Bearer lkd_…".',
      { reason: token ? 'bad-device-token' : 'missing-token' },
    );
  }
  return device;
}
