/** IPv4 arithmetic for the hotspot's LAN: addresses as unsigned 32-bit numbers. */

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function parseIpv4(text: string): number | undefined {
  if (!ADDRESS.test(text)) return undefined;
  return text.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export interface Subnet {
  address: string;
  prefix: number;
  network: string;
  netmask: string;
  broadcast: string;
  /** Numbers, for range checks. */
  first: number;
  last: number;
}

/** `10.0.0.1/24` → its subnet, or undefined when it is not an address with a prefix. */
export function parseCidr(cidr: string): Subnet | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const value = parseIpv4(match[1] as string);
  const prefix = Number(match[2]);
  if (value === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(value / size) * size;
  const last = first + size - 1;
  return {
    address: match[1] as string,
    prefix,
    network: formatIpv4(first),
    netmask: formatIpv4(2 ** 32 - size),
    broadcast: formatIpv4(last),
    first,
    last,
  };
}
