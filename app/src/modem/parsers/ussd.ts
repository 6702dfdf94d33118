import { findTagged, splitFields, toInt, type AtText } from './lines.js';

/** 3GPP TS 23.038 GSM 7-bit default alphabet; index = septet. 0x1B escapes to the extension table. */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const GSM7_EXTENSION: Record<number, string> = {
  0x0a: '\f',
  0x14: '^',
  0x28: '{',
  0x29: '}',
  0x2f: '\\',
  0x3c: '[',
  0x3d: '~',
  0x3e: ']',
  0x40: '|',
  0x65: '€',
};

const BASIC_INDEX = new Map([...GSM7_BASIC].map((char, index) => [char, index]));
const EXTENSION_INDEX = new Map(Object.entries(GSM7_EXTENSION).map(([code, char]) => [char, Number(code)]));

/** Text → septets; undefined when a character has no GSM-7 form. */
export function toSeptets(text: string): number[] | undefined {
  const septets: number[] = [];
  for (const char of text) {
    const basic = BASIC_INDEX.get(char);
    if (basic !== undefined && basic !== 0x1b) {
      septets.push(basic);
      continue;
    }
    const extension = EXTENSION_INDEX.get(char);
    if (extension === undefined) return undefined;
    septets.push(0x1b, extension);
  }
  return septets;
}

export function fromSeptets(septets: readonly number[]): string {
  let text = '';
  for (let index = 0; index < septets.length; index += 1) {
    const septet = septets[index] ?? 0;
    if (septet === 0x1b) {
      const next = septets[index + 1];
      index += 1;
      text += next === undefined ? '' : (GSM7_EXTENSION[next] ?? ' ');
    } else {
      text += GSM7_BASIC[septet] ?? '?';
    }
  }
  return text;
}

/** Packs septets into octets, least significant bit first (TS 23.038 §6.1.2.1.1). */
export function packSeptets(septets: readonly number[]): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const septet of septets) {
    buffer |= (septet & 0x7f) << bits;
    bits += 7;
    while (bits >= 8) {
      bytes.push(buffer & 0xff);
      buffer >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes.push(buffer & 0xff);
  return Buffer.from(bytes);
}

export function unpackSeptets(bytes: Uint8Array): number[] {
  const count = Math.floor((bytes.length * 8) / 7);
  const septets: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const bit = index * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    const low = (bytes[byte] ?? 0) >> shift;
    const high = shift > 1 ? (bytes[byte + 1] ?? 0) << (8 - shift) : 0;
    septets.push((low | high) & 0x7f);
  }
  // A whole number of 7-octet blocks carries one septet more than was sent: the CR pad
  // (or seven zero bits, which would read as '@').
  if (bytes.length % 7 === 0 && septets.length > 0 && septets[septets.length - 1] === 0x0d) septets.pop();
  return septets;
}

/**
 * A USSD request as Huawei sticks want it: GSM-7 packed, upper-case hex, for `AT+CUSD=1,"…",15`.
 * Like ModemManager, a request whose length is a multiple of 7 gets a CR so the last octet's
 * spare bits are not read as '@'.
 */
export function packGsm7Hex(text: string): string {
  const septets = toSeptets(text);
  if (septets === undefined) throw new RangeError(`"${text}" has characters outside the GSM 7-bit alphabet`);
  if (septets.length % 7 === 0) septets.push(0x0d);
  return packSeptets(septets).toString('hex').toUpperCase();
}

export function unpackGsm7Hex(hex: string): string {
  return fromSeptets(unpackSeptets(Buffer.from(hex, 'hex')));
}

/** UTF-16BE in hex (`0043007200E9…`), surrogate pairs included. */
export function decodeUcs2Hex(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  let text = '';
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    text += String.fromCharCode(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  }
  return text;
}

export type UssdEncoding = 'gsm7' | 'ucs2' | '8bit' | 'unknown';

/** The alphabet a data coding scheme selects (3GPP TS 23.038 §5, cell broadcast / USSD). */
export function encodingOfDcs(dcs: number): UssdEncoding {
  const group = dcs >> 4;
  if (group === 0x0 || group === 0x2 || group === 0x3) return 'gsm7';
  if (dcs === 0x10) return 'gsm7';
  if (dcs === 0x11) return 'ucs2';
  if (group === 0x1) return 'gsm7';
  if (group >= 0x4 && group <= 0x7) {
    if (dcs & 0x20) return 'unknown'; // compressed: never seen from an operator, not decodable here
    const alphabet = (dcs >> 2) & 0x03;
    return alphabet === 0 ? 'gsm7' : alphabet === 1 ? '8bit' : alphabet === 2 ? 'ucs2' : 'unknown';
  }
  if (group === 0xf) return dcs & 0x04 ? '8bit' : 'gsm7';
  return 'gsm7';
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

export interface DecodeOptions {
  /**
   * Whether our request went out GSM-7 packed. Huawei firmware then answers GSM-7 text packed as
   * hex too; after a plain-text request it answers in plain text, where `"1250"` is just digits.
   */
  sentPacked: boolean;
}

/** The text of a `+CUSD` string, decoded by its data coding scheme. */
export function decodeUssdText(text: string, dcs: number | undefined, options: DecodeOptions): string {
  const encoding = dcs === undefined ? 'gsm7' : encodingOfDcs(dcs);
  if (!HEX.test(text)) return text;
  if (encoding === 'ucs2') {
    // 0x11: a two-character GSM-7 language prefix, padded to two octets, comes before the UCS2.
    return decodeUcs2Hex(dcs === 0x11 ? text.slice(4) : text);
  }
  if (!options.sentPacked) return text;
  if (encoding === 'gsm7') return unpackGsm7Hex(text);
  if (encoding === '8bit') return Buffer.from(text, 'hex').toString('latin1');
  return text;
}

export type UssdStatus =
  'done' | 'more-input' | 'ended-by-network' | 'other-client' | 'not-supported' | 'timeout' | 'unknown';

const STATUSES: Record<number, UssdStatus> = {
  0: 'done',
  1: 'more-input',
  2: 'ended-by-network',
  3: 'other-client',
  4: 'not-supported',
  5: 'timeout',
};

export interface UssdReply {
  status: UssdStatus;
  /** The decoded message, when there is one. */
  text: string | undefined;
  /** The string as the modem sent it, kept for the diagnostics page when decoding guesses wrong. */
  raw: string | undefined;
  dcs: number | undefined;
}

/** `+CUSD: <m>[,"<str>"[,<dcs>]]`. */
export function parseCusd(input: AtText, options: DecodeOptions): UssdReply | undefined {
  const body = findTagged(input, '+CUSD:');
  if (body === undefined) return undefined;
  const fields = splitFields(body).map((field) => field.value);
  const status = toInt(fields[0]);
  if (status === undefined) return undefined;
  const raw = fields[1];
  const dcs = toInt(fields[2]);
  return {
    status: STATUSES[status] ?? 'unknown',
    text: raw === undefined ? undefined : decodeUssdText(raw, dcs, options),
    raw,
    dcs,
  };
}

/** `*123#`, `*111*1#`, `#100#`: what operators use for balance and menus. */
export function isUssdCode(code: string): boolean {
  return /^[*#][0-9*#]{1,30}#$/.test(code);
}
