import { findAllTagged, splitFields, toInt, type AtText } from './lines.js';

export interface PdpContext {
  /** Context id; `*99#` and `*99***1#` dial cid 1. */
  cid: number;
  pdpType: string;
  apn: string;
  address: string | undefined;
}

/** `+CGDCONT: 1,"IP","vodanet","0.0.0.0",0,0`, one line per defined context. */
export function parseCgdcont(input: AtText): PdpContext[] {
  const contexts: PdpContext[] = [];
  for (const body of findAllTagged(input, '+CGDCONT:')) {
    const fields = splitFields(body).map((field) => field.value);
    const cid = toInt(fields[0]);
    if (cid === undefined) continue;
    contexts.push({ cid, pdpType: fields[1] ?? '', apn: fields[2] ?? '', address: fields[3] || undefined });
  }
  return contexts;
}

/** APNs are DNS-like labels (3GPP TS 23.003 §9): anything else would break the quoting of the command. */
export function isValidApn(apn: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$/.test(apn);
}
