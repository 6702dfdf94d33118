import { findTagged, type AtText } from './lines.js';

export type SimLock = 'ready' | 'sim-pin' | 'sim-puk' | 'phone-sim-pin' | 'sim-pin2' | 'sim-puk2' | 'other';

export interface SimStatus {
  lock: SimLock;
  /** The modem's own words (`SIM PIN`), for the diagnostics page. */
  raw: string;
}

export interface SimRetries {
  lock: SimLock;
  pukRetries: number;
  pinRetries: number;
  puk2Retries: number;
  pin2Retries: number;
}

const LOCKS: Record<string, SimLock> = {
  READY: 'ready',
  'SIM PIN': 'sim-pin',
  'SIM PUK': 'sim-puk',
  'PH-SIM PIN': 'phone-sim-pin',
  'SIM PIN2': 'sim-pin2',
  'SIM PUK2': 'sim-puk2',
};

function toLock(raw: string): SimLock {
  return LOCKS[raw.replace(/"/g, '').trim().toUpperCase()] ?? 'other';
}

/** `+CPIN: READY` / `+CPIN: SIM PIN`. A missing SIM is a `+CME ERROR: 10`, parsed by `parseFinal`. */
export function parseCpin(input: AtText): SimStatus | undefined {
  const body = findTagged(input, '+CPIN:');
  if (!body) return undefined;
  const raw = body.replace(/"/g, '').trim();
  return { lock: toLock(raw), raw };
}

/** Huawei `^CPIN: READY,,10,3,10,3` — state, code, then PUK, PIN, PUK2 and PIN2 retries left. */
export function parseHuaweiCpin(input: AtText): SimRetries | undefined {
  const body = findTagged(input, '^CPIN:');
  const match = body === undefined ? null : /^([^,]+),[^,]*,(\d+),(\d+),(\d+),(\d+)$/.exec(body);
  if (!match) return undefined;
  return {
    lock: toLock(match[1] ?? ''),
    pukRetries: Number(match[2]),
    pinRetries: Number(match[3]),
    puk2Retries: Number(match[4]),
    pin2Retries: Number(match[5]),
  };
}
