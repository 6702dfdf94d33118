import * as v from 'valibot';
import { isLokoleError } from '@lokole/protocol';
import { LANGUAGES } from '../i18n/index.js';
import { isValidApn } from '../modem/index.js';
import { parseCidr, parseIpv4 } from './ipv4.js';
import { cronToOnCalendar } from './on-calendar.js';

/** The shape `saveDeviceConfig` writes; older shapes are upgraded by `migrate.ts`. */
export const DEVICE_CONFIG_VERSION = 2;

export const LINK_KINDS = ['modem', 'ethernet', 'none'] as const;
/** See notes/bandwidth.md §5: `downscale-1600` is the recommended "opt1600" policy. */
export const PHOTO_POLICIES = ['original', 'downscale-1600', 'thumbnail-200'] as const;

const show = (input: unknown): string => JSON.stringify(input) ?? String(input);

/** A line of a config file: hostapd, wvdial and dnsmasq have no quoting, a value runs to the end of its line. */
const oneLine = (what: string) =>
  v.check<string, string>(
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    (value) => !/[\u0000-\u001f\u007f]/.test(value),
    `${what} must be on one line, without control characters`,
  );

const DEVICE_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

const DeviceSchema = v.strictObject({
  name: v.pipe(
    v.string('the device name must be text'),
    v.check(
      (name) => name.length >= 2 && name.length <= 40 && DEVICE_NAME.test(name),
      (issue) =>
        `the device name must be 2 to 40 lower-case letters, digits and dashes, not starting or ending with a dash, like "kinshasa-1" (got ${show(issue.input)})`,
    ),
  ),
  rootDomain: v.pipe(
    v.string('the root domain must be text'),
    v.regex(
      DOMAIN,
      (issue) => `the root domain must be a domain name like "lokole.ca" (got ${show(issue.input)})`,
    ),
  ),
});

const CloudSchema = v.strictObject({
  /** Never syncs: mail stays between the people on this hotspot. */
  offlineOnly: v.boolean('offlineOnly must be true or false'),
  url: v.pipe(
    v.string('the cloud URL must be text'),
    v.check(
      (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol),
      (issue) => `the cloud URL must start with https:// (got ${show(issue.input)})`,
    ),
  ),
  /** Given by the cloud at registration; null until the device is registered. */
  deviceId: v.nullable(
    v.pipe(v.string(), v.minLength(1, 'the device id must not be empty'), oneLine('the device id')),
  ),
  token: v.nullable(
    v.pipe(
      v.string(),
      v.minLength(16, 'the device token is too short: register the device again'),
      oneLine('the device token'),
    ),
  ),
});

const HotspotSchema = v.strictObject({
  ssid: v.pipe(
    v.string('the WiFi name must be text'),
    v.check(
      (ssid) => ssid.length > 0 && Buffer.byteLength(ssid) <= 32,
      (issue) => `the WiFi name must be 1 to 32 bytes (got ${show(issue.input)})`,
    ),
    v.check((ssid) => ssid === ssid.trim(), 'the WiFi name must not start or end with spaces'),
    oneLine('the WiFi name'),
  ),
  /** WPA2 passphrase; null only for the open setup hotspot of a device not set up yet. */
  passphrase: v.nullable(
    v.pipe(
      v.string('the WiFi password must be text'),
      v.check(
        (value) => /^[\u0020-\u007e]{8,63}$/.test(value),
        // Never echo the password itself.
        (issue) =>
          `the WiFi password must be 8 to 63 ordinary characters (letters, digits, punctuation; got ${String(issue.input).length})`,
      ),
    ),
  ),
  channel: v.pipe(
    v.number('the WiFi channel must be a number'),
    v.check(
      (channel) => Number.isInteger(channel) && channel >= 1 && channel <= 13,
      (issue) => `the WiFi channel must be a whole number from 1 to 13 (got ${show(issue.input)})`,
    ),
  ),
  countryCode: v.pipe(
    v.string('the country code must be text'),
    v.regex(
      /^[A-Z]{2}$/,
      (issue) => `the country code must be two capital letters, like "CD" (got ${show(issue.input)})`,
    ),
  ),
});

const address = (what: string) =>
  v.pipe(
    v.string(`the ${what} must be text`),
    v.check(
      (text) => parseIpv4(text) !== undefined,
      (issue) => `the ${what} must be an IPv4 address like 10.0.0.10 (got ${show(issue.input)})`,
    ),
  );

const LanSchema = v.pipe(
  v.strictObject({
    /** The device's address on wlan0, with the prefix length of the hotspot's network. */
    address: v.pipe(
      v.string('the LAN address must be text'),
      v.check(
        (cidr) => {
          const subnet = parseCidr(cidr);
          return subnet !== undefined && subnet.prefix >= 8 && subnet.prefix <= 30;
        },
        (issue) =>
          `the LAN address must be an IPv4 address with a prefix length from 8 to 30, like 10.0.0.1/24 (got ${show(issue.input)})`,
      ),
      v.check(
        (cidr) => {
          const subnet = parseCidr(cidr);
          const value = parseIpv4(subnet?.address ?? '');
          return subnet === undefined || (value !== subnet.first && value !== subnet.last);
        },
        (issue) => `the LAN address must not be the network or broadcast address (got ${show(issue.input)})`,
      ),
    ),
    dhcpStart: address('first DHCP address'),
    dhcpEnd: address('last DHCP address'),
    leaseHours: v.pipe(
      v.number('the DHCP lease must be a number of hours'),
      v.check(
        (hours) => Number.isInteger(hours) && hours >= 1 && hours <= 168,
        (issue) => `the DHCP lease must be a whole number of hours from 1 to 168 (got ${show(issue.input)})`,
      ),
    ),
  }),
  v.forward(
    v.check(
      (lan) => {
        const subnet = parseCidr(lan.address);
        const start = parseIpv4(lan.dhcpStart);
        const end = parseIpv4(lan.dhcpEnd);
        if (!subnet || start === undefined || end === undefined) return true; // reported on the field itself
        const inside = (value: number) => value > subnet.first && value < subnet.last;
        return inside(start) && inside(end) && start <= end;
      },
      (issue) => {
        const lan = issue.input as { address: string; dhcpStart: string; dhcpEnd: string };
        return `the DHCP range ${lan.dhcpStart}–${lan.dhcpEnd} must run upwards inside the LAN ${lan.address}, without its network and broadcast addresses`;
      },
    ),
    ['dhcpStart'],
  ),
  v.forward(
    v.check(
      (lan) => {
        const subnet = parseCidr(lan.address);
        const own = parseIpv4(subnet?.address ?? '');
        const start = parseIpv4(lan.dhcpStart);
        const end = parseIpv4(lan.dhcpEnd);
        if (own === undefined || start === undefined || end === undefined) return true;
        return own < start || own > end;
      },
      (issue) => {
        const lan = issue.input as { address: string; dhcpStart: string; dhcpEnd: string };
        return `the device's own address ${lan.address.split('/')[0]} must be outside the DHCP range ${lan.dhcpStart}–${lan.dhcpEnd}`;
      },
    ),
    ['dhcpStart'],
  ),
);

const ModemSchema = v.strictObject({
  /** The modem's PPP port; null: found at each dial (interface 0 of the stick). */
  port: v.nullable(
    v.pipe(
      v.string(),
      v.regex(
        /^\/dev\/\S+$/,
        (issue) => `the modem port must be a device path like /dev/ttyUSB0 (got ${show(issue.input)})`,
      ),
    ),
  ),
  /** An id from config/carriers.json the APN came from, or null when typed by hand. */
  carrier: v.nullable(
    v.pipe(
      v.string(),
      v.regex(
        /^[a-z0-9-]+$/,
        (issue) => `the carrier must be an id from carriers.json (got ${show(issue.input)})`,
      ),
    ),
  ),
  /** Null until the technician enters it: a modem link cannot dial without one. */
  apn: v.nullable(
    v.pipe(
      v.string(),
      v.check(
        isValidApn,
        (issue) =>
          `the APN must be letters, digits, dots and dashes, like "vodanet" (got ${show(issue.input)})`,
      ),
    ),
  ),
  username: v.pipe(
    v.string('the APN user name must be text'),
    oneLine('the APN user name'),
    v.check((value) => value === value.trim(), 'the APN user name must not start or end with spaces'),
  ),
  password: v.pipe(
    v.string('the APN password must be text'),
    oneLine('the APN password'),
    v.check((value) => value === value.trim(), 'the APN password must not start or end with spaces'),
  ),
  phone: v.pipe(
    v.string(),
    v.regex(
      /^[*#0-9]+$/,
      (issue) => `the number to dial must be like *99# or *99***1# (got ${show(issue.input)})`,
    ),
  ),
  /** The USSD code that asks the operator for the balance; operators differ. Optional: older files lack it. */
  balanceCode: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^[*#][*#0-9]{1,30}#$/,
        (issue) => `the balance code must be a USSD code like *123# (got ${show(issue.input)})`,
      ),
    ),
    '*123#',
  ),
});

function cronProblem(schedule: string): string | undefined {
  try {
    cronToOnCalendar(schedule);
    return undefined;
  } catch (error) {
    if (isLokoleError(error)) return error.message;
    throw error;
  }
}

const SyncSchema = v.strictObject({
  /** Five-field cron in the device's time zone; run by lokole-sync.timer. */
  schedule: v.pipe(
    v.string('the sync schedule must be text'),
    v.check(
      (schedule) => cronProblem(schedule) === undefined,
      (issue) => cronProblem(String(issue.input)) ?? 'the sync schedule is not valid',
    ),
  ),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z][A-Za-z0-9_+/-]*$/.test(zone);
  } catch {
    return false;
  }
}

export const DeviceConfigSchema = v.strictObject({
  version: v.literal(DEVICE_CONFIG_VERSION, `version must be ${DEVICE_CONFIG_VERSION}`),
  device: DeviceSchema,
  cloud: CloudSchema,
  hotspot: HotspotSchema,
  lan: LanSchema,
  /** DNS answers every name with the device's address, so phones open the webmail. */
  captivePortal: v.boolean('captivePortal must be true or false'),
  link: v.picklist(
    LINK_KINDS,
    (issue) => `the link must be one of ${LINK_KINDS.join(', ')} (got ${show(issue.input)})`,
  ),
  modem: ModemSchema,
  sync: SyncSchema,
  timeZone: v.pipe(
    v.string(),
    v.check(
      isTimeZone,
      (issue) => `the time zone must be a zone name like "Africa/Kinshasa" (got ${show(issue.input)})`,
    ),
  ),
  language: v.picklist(
    LANGUAGES.map((language) => language.code),
    (issue) =>
      `the language must be one of ${LANGUAGES.map((l) => l.code).join(', ')} (got ${show(issue.input)})`,
  ),
  /** An email whose attachments are larger than this waits for an admin before it syncs; 0: no limit. */
  attachmentThresholdKb: v.pipe(
    v.number(),
    v.check(
      (kb) => Number.isInteger(kb) && kb >= 0 && kb <= 100_000,
      (issue) =>
        `the attachment threshold must be a whole number of kB from 0 to 100000 (got ${show(issue.input)})`,
    ),
  ),
  photoPolicy: v.picklist(
    PHOTO_POLICIES,
    (issue) => `the photo policy must be one of ${PHOTO_POLICIES.join(', ')} (got ${show(issue.input)})`,
  ),
  /** What one MB over the link costs, to show the cost of each sync; amount 0: not shown. */
  pricePerMb: v.strictObject({
    amount: v.pipe(
      v.number(),
      v.check(
        (amount) => Number.isFinite(amount) && amount >= 0,
        (issue) => `the price per MB must be zero or more (got ${show(issue.input)})`,
      ),
    ),
    currency: v.pipe(
      v.string(),
      v.regex(
        /^[A-Z]{3}$/,
        (issue) => `the currency must be a three-letter code like "CDF" or "USD" (got ${show(issue.input)})`,
      ),
    ),
  }),
});

export type DeviceConfig = v.InferOutput<typeof DeviceConfigSchema>;
export type LinkKind = DeviceConfig['link'];
export type PhotoPolicy = DeviceConfig['photoPolicy'];

/** Every problem of `input`, as `path: message`, or an empty list when it is a valid DeviceConfig. */
export function checkDeviceConfig(input: unknown): { config?: DeviceConfig; problems: string[] } {
  const result = v.safeParse(DeviceConfigSchema, input);
  if (result.success) return { config: result.output, problems: [] };
  return {
    problems: result.issues.map((issue) => {
      const where = v.getDotPath(issue);
      // An unknown key: valibot puts the key in the path and says "Invalid key".
      if (issue.kind === 'schema' && issue.type === 'strict_object' && where) {
        return `${where}: unknown setting (a typo?)`;
      }
      return `${where ?? '(top level)'}: ${issue.message}`;
    }),
  };
}
