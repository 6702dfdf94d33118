import { normalizeAddress } from '@lokole/protocol';

// The protocol's rule (one @, no spaces, a dot in the domain): mail servers are the real judges.
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/**
 * Splits what someone typed into a to/cc/bcc field (commas, semicolons or
 * spaces) and checks each address, so a message can name the bad one.
 */
export function parseAddressList(text: string): { addresses: string[]; invalid: string[] } {
  const addresses: string[] = [];
  const invalid: string[] = [];
  for (const part of text.split(/[,;\s]+(?![^<]*>)/)) {
    if (part.trim() === '') continue;
    const address = normalizeAddress(part);
    if (!ADDRESS.test(address)) invalid.push(part.trim());
    else if (!addresses.includes(address)) addresses.push(address);
  }
  return { addresses, invalid };
}

export function isLocalAddress(address: string, domain: string): boolean {
  return address.endsWith(`@${domain}`);
}
