import { findTagged, splitFields, toInt, type AtText } from './lines.js';
import { ACCESS_TECHNOLOGIES } from './registration.js';

export type OperatorSelection = 'automatic' | 'manual' | 'deregistered' | 'manual-then-automatic' | 'unknown';

export interface Operator {
  selection: OperatorSelection;
  /** 0 long name, 1 short name, 2 numeric MCC+MNC (after `AT+COPS=3,2`). */
  format: number | undefined;
  /** `Vodacom CD`, or `63001` in numeric format; undefined when the modem is on no network. */
  name: string | undefined;
  /** MCC+MNC when the format is numeric. */
  numeric: string | undefined;
  accessTechnology: string | undefined;
}

const SELECTIONS: Record<number, OperatorSelection> = {
  0: 'automatic',
  1: 'manual',
  2: 'deregistered',
  4: 'manual-then-automatic',
};

/** `+COPS: 0,0,"Vodacom CD",2`; a bare `+COPS: 0` means the modem is registered nowhere. */
export function parseCops(input: AtText): Operator | undefined {
  const body = findTagged(input, '+COPS:');
  if (body === undefined || body.startsWith('(')) return undefined; // `(…)` is a scan list, never sent by us
  const fields = splitFields(body);
  const mode = toInt(fields[0]?.value);
  if (mode === undefined) return undefined;
  const format = toInt(fields[1]?.value);
  const name = fields[2]?.value || undefined;
  const act = toInt(fields[3]?.value);
  return {
    selection: SELECTIONS[mode] ?? 'unknown',
    format,
    name,
    numeric: format === 2 && name !== undefined && /^\d{5,6}$/.test(name) ? name : undefined,
    accessTechnology: act === undefined ? undefined : (ACCESS_TECHNOLOGIES[act] ?? `AcT ${act}`),
  };
}
