import { networkFromImsi } from './parsers/identity.js';
import type { Carrier, CarrierTable } from './tables.js';

export interface ApnSuggestion {
  carrier: Carrier;
  /** MCC+MNC that matched. */
  network: string;
  /** False for guesses: the page shows them as such and asks the technician to confirm. */
  isVerified: boolean;
}

/** The preset for the SIM's home network, from the first 5 (or 6) digits of its IMSI. */
export function suggestApn(imsi: string | undefined, table: CarrierTable): ApnSuggestion | undefined {
  const network = imsi === undefined ? undefined : networkFromImsi(imsi);
  if (!network) return undefined;
  const candidates = [`${network.mcc}${network.mnc}`, `${network.mcc}${network.mnc3}`];
  for (const candidate of candidates) {
    const carrier = table.carriers.find((entry) => entry.networks.includes(candidate));
    if (carrier) return { carrier, network: candidate, isVerified: carrier.unverified !== true };
  }
  return undefined;
}
