import { splitFields, toInt, toLines, type AtText } from './lines.js';

export type RegistrationState =
  'not-registered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming' | 'sms-only' | 'emergency-only';

export type RegistrationKind = 'CREG' | 'CGREG' | 'CEREG';

export interface Registration {
  /** CREG = circuit-switched (voice); CGREG = packet data, the one a dial needs; CEREG = LTE. */
  kind: RegistrationKind;
  /** The `<n>` setting (unsolicited report level) — only in a reply, never in an unsolicited result. */
  mode: number | undefined;
  stat: number;
  state: RegistrationState;
  isRegistered: boolean;
  lac: string | undefined;
  cellId: string | undefined;
  accessTechnology: string | undefined;
}

const STATES: Record<number, RegistrationState> = {
  0: 'not-registered',
  1: 'home',
  2: 'searching',
  3: 'denied',
  4: 'unknown',
  5: 'roaming',
  6: 'sms-only',
  7: 'sms-only',
  8: 'emergency-only',
  9: 'home',
  10: 'roaming',
};

/** 3GPP TS 27.007 `<AcT>`. */
export const ACCESS_TECHNOLOGIES: Record<number, string> = {
  0: 'GSM',
  1: 'GSM Compact',
  2: 'UMTS',
  3: 'EDGE',
  4: 'HSDPA',
  5: 'HSUPA',
  6: 'HSPA',
  7: 'LTE',
};

function build(kind: RegistrationKind, mode: number | undefined, rest: string[]): Registration | undefined {
  const stat = toInt(rest[0]);
  if (stat === undefined) return undefined;
  const state = STATES[stat] ?? 'unknown';
  const act = toInt(rest[3]);
  return {
    kind,
    mode,
    stat,
    state,
    isRegistered: state === 'home' || state === 'roaming',
    lac: rest[1] || undefined,
    cellId: rest[2] || undefined,
    accessTechnology: act === undefined ? undefined : (ACCESS_TECHNOLOGIES[act] ?? `AcT ${act}`),
  };
}

/**
 * The reply to `AT+CREG?` (or CGREG/CEREG): `+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]`.
 * An unsolicited `+CREG: <stat>[,"<lac>",…]` shares the prefix; it is told apart by its second
 * field, which is quoted (a LAC) or absent, where a reply's is a bare number. Such lines are skipped.
 */
export function parseRegistration(input: AtText, kind: RegistrationKind = 'CREG'): Registration | undefined {
  const prefix = `+${kind}:`;
  for (const line of toLines(input)) {
    if (!line.toUpperCase().startsWith(prefix)) continue;
    const fields = splitFields(line.slice(prefix.length).trim());
    const second = fields[1];
    if (second === undefined || second.quoted || toInt(second.value) === undefined) continue;
    const result = build(
      kind,
      toInt(fields[0]?.value),
      fields.slice(1).map((field) => field.value),
    );
    if (result) return result;
  }
  return undefined;
}

/** An unsolicited `+CREG: <stat>[,"<lac>","<ci>"[,<AcT>]]` (after `AT+CREG=2`). */
export function parseRegistrationUrc(
  line: string,
  kind: RegistrationKind = 'CREG',
): Registration | undefined {
  const prefix = `+${kind}:`;
  const trimmed = line.trim();
  if (!trimmed.toUpperCase().startsWith(prefix)) return undefined;
  const fields = splitFields(trimmed.slice(prefix.length).trim());
  const second = fields[1];
  if (second !== undefined && !second.quoted) return undefined;
  return build(
    kind,
    undefined,
    fields.map((field) => field.value),
  );
}
