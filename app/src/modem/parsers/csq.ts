import { findTagged, type AtText } from './lines.js';

export type SignalLabel = 'unknown' | 'no-signal' | 'marginal' | 'ok' | 'good' | 'excellent';

export interface SignalQuality {
  /** The raw 0–31 value, or undefined when the modem reports 99 (not known). */
  rssi: number | undefined;
  /** −113 dBm (rssi 0, or less) to −51 dBm (rssi 31, or more). */
  dbm: number | undefined;
  /** ModemManager's percentage, clamp(rssi, 0, 31) × 100 / 31. */
  percent: number | undefined;
  /** Bit error rate class 0–7; undefined for 99, which 3G modems nearly always report. */
  ber: number | undefined;
  bars: 0 | 1 | 2 | 3 | 4;
  label: SignalLabel;
}

/** 3GPP TS 27.007 §8.5 rssi → dBm, bars and a word a technician understands. */
export function signalFromRssi(rssi: number, ber = 99): SignalQuality {
  const berValue = ber >= 0 && ber <= 7 ? ber : undefined;
  if (rssi === 99 || rssi < 0 || rssi > 31) {
    return { rssi: undefined, dbm: undefined, percent: undefined, ber: berValue, bars: 0, label: 'unknown' };
  }
  const dbm = -113 + 2 * rssi;
  const percent = Math.round((rssi * 100) / 31);
  const [bars, label] = barsFor(rssi);
  return { rssi, dbm, percent, ber: berValue, bars, label };
}

function barsFor(rssi: number): [SignalQuality['bars'], SignalLabel] {
  if (rssi <= 1) return [0, 'no-signal'];
  if (rssi <= 9) return [1, 'marginal'];
  if (rssi <= 14) return [2, 'ok'];
  if (rssi <= 19) return [3, 'good'];
  return [4, 'excellent'];
}

/** `+CSQ: 17,99` → signal; undefined when no CSQ line is present or it is malformed. */
export function parseCsq(input: AtText): SignalQuality | undefined {
  const body = findTagged(input, '+CSQ:');
  const match = body === undefined ? null : /^(\d+)\s*,\s*(\d+)$/.exec(body);
  if (!match) return undefined;
  return signalFromRssi(Number(match[1]), Number(match[2]));
}
