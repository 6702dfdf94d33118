import { LokoleError } from '@lokole/protocol';

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/;

/**
 * Names that would collide with the cloud's own hosts or mislead people reading an address
 * (`admin.lokole.ca`). `bot` is where the service mailboxes live.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'www',
  'mail',
  'mx',
  'smtp',
  'imap',
  'pop',
  'pop3',
  'api',
  'admin',
  'root',
  'cloud',
  'status',
  'app',
  'bot',
  'lokole',
  'ftp',
  'ns',
  'ns1',
  'ns2',
  'dns',
  'localhost',
  'postmaster',
  'abuse',
  'webmail',
  'autodiscover',
  'autoconfig',
  'support',
  'help',
  'test',
  'dev',
  'staging',
  'sendgrid',
]);

/** Checks a device name (`kinshasa-1`): lower-case letters, digits and inner dashes, 2 to 40 long, not reserved. */
export function checkDeviceName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new LokoleError(
      'INVALID_INPUT',
      `Device name ${JSON.stringify(name)} is not valid: use 2 to 40 lower-case letters, digits and dashes, not starting or ending with a dash (for example "kinshasa-1").`,
      { reason: 'invalid-device-name' },
    );
  }
  if (RESERVED_NAMES.has(name)) {
    throw new LokoleError('INVALID_INPUT', `Device name "${name}" is reserved; choose another name.`, {
      reason: 'reserved-device-name',
    });
  }
  return name;
}
