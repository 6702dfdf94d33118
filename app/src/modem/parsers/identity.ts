import { findTagged, toLines, type AtText } from './lines.js';

/** Lines of a reply that are neither an echo of an AT command nor a final result. */
function infoLines(input: AtText): string[] {
  return toLines(input).filter(
    (line) =>
      !/^AT/i.test(line) && !/^(OK|ERROR|\+CME ERROR:.*|\+CMS ERROR:.*|COMMAND NOT SUPPORT)$/i.test(line),
  );
}

function stripQuotes(text: string): string {
  return text.replace(/^"(.*)"$/, '$1').trim();
}

/** `AT+CIMI` → the IMSI, 6–15 digits, usually bare (some firmware tags it `+CIMI:`). */
export function parseCimi(input: AtText): string | undefined {
  for (const line of infoLines(input)) {
    const value = stripQuotes(line.replace(/^\+CIMI:\s*/i, ''));
    if (/^\d{6,15}$/.test(value)) return value;
  }
  return undefined;
}

export interface ImsiNetwork {
  mcc: string;
  /** Two digits, as in the DRC; a caller that knows a 3-digit country tries `mnc3` too. */
  mnc: string;
  mnc3: string;
}

export function networkFromImsi(imsi: string): ImsiNetwork | undefined {
  if (!/^\d{6,15}$/.test(imsi)) return undefined;
  return { mcc: imsi.slice(0, 3), mnc: imsi.slice(3, 5), mnc3: imsi.slice(3, 6) };
}

/** The SIM stores the ICCID with each pair of digits swapped (`98…`) and pads with F. */
export function normalizeIccid(raw: string): string | undefined {
  let digits = stripQuotes(raw).toUpperCase();
  if (!/^[0-9A-F]{18,20}$/.test(digits)) return undefined;
  if (digits.startsWith('98')) {
    digits = digits.replace(/(.)(.)/g, '$2$1');
  }
  digits = digits.replace(/F+$/, '');
  return /^\d{18,20}$/.test(digits) ? digits : undefined;
}

/**
 * The ICCID from Huawei `^ICCID: …`, `+CCID: …`, `+ICCID: …`, or the SIM file read by
 * `AT+CRSM=176,12258,0,0,10` (`+CRSM: 144,0,"98…"`; 144,0 is success).
 */
export function parseIccid(input: AtText): string | undefined {
  for (const prefix of ['^ICCID:', '+CCID:', '+ICCID:']) {
    const body = findTagged(input, prefix);
    if (body !== undefined) return normalizeIccid(body);
  }
  const crsm = findTagged(input, '+CRSM:');
  if (crsm !== undefined) {
    const match = /^(\d+)\s*,\s*(\d+)\s*,\s*"?([0-9A-Fa-f]+)"?$/.exec(crsm);
    if (!match || match[1] !== '144' || match[2] !== '0') return undefined;
    return normalizeIccid(match[3] ?? '');
  }
  for (const line of infoLines(input)) {
    const iccid = normalizeIccid(line);
    if (iccid) return iccid;
  }
  return undefined;
}

export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export interface Imei {
  imei: string;
  /** A failed check digit points at a misread line rather than a strange modem. */
  isLuhnValid: boolean;
}

/** `AT+CGSN` → `358…` (15 digits) or `+CGSN: "358…"`. */
export function parseImei(input: AtText): Imei | undefined {
  for (const line of infoLines(input)) {
    const value = stripQuotes(line.replace(/^\+(CGSN|GSN):\s*/i, ''));
    if (/^\d{14,17}$/.test(value))
      return { imei: value, isLuhnValid: value.length !== 15 || isLuhnValid(value) };
  }
  return undefined;
}

/** `AT+CGMI` / `+CGMM` / `+CGMR` (and `+GMI`…): the first info line, tag and quotes removed. */
export function parseIdentityLine(input: AtText): string | undefined {
  for (const line of infoLines(input)) {
    const value = stripQuotes(line.replace(/^\+(CGMI|CGMM|CGMR|GMI|GMM|GMR):\s*/i, ''));
    if (value) return value;
  }
  return undefined;
}

export interface ModemIdentity {
  manufacturer: string | undefined;
  model: string | undefined;
  revision: string | undefined;
  imei: string | undefined;
}

/** `ATI` → `Manufacturer: huawei` / `Model: E160` / `Revision: …` / `IMEI: …`. */
export function parseAti(input: AtText): ModemIdentity {
  const fields = new Map<string, string>();
  for (const line of infoLines(input)) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) fields.set((match[1] ?? '').trim().toLowerCase(), (match[2] ?? '').trim());
  }
  return {
    manufacturer: fields.get('manufacturer') || undefined,
    model: fields.get('model') || undefined,
    revision: fields.get('revision') || undefined,
    imei: fields.get('imei') || undefined,
  };
}
