/**
 * Final result codes: the line that ends a command's reply. Everything before it is an info line
 * or an unsolicited result; nothing after it belongs to the command.
 */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme-error'; code: number | undefined; text: string }
  | { kind: 'cms-error'; code: number | undefined; text: string }
  | { kind: 'not-supported' }
  | { kind: 'connect'; rate: number | undefined }
  | { kind: 'no-carrier' }
  | { kind: 'busy' }
  | { kind: 'no-answer' }
  | { kind: 'no-dialtone' };

/** The final result this line is, or undefined for any other line. */
export function parseFinal(line: string): FinalResult | undefined {
  const text = line.trim();
  const upper = text.toUpperCase();
  if (upper === 'OK') return { kind: 'ok' };
  if (upper === 'ERROR') return { kind: 'error' };
  // Some Huawei firmware answers commands it does not know this way instead of ERROR.
  if (upper === 'COMMAND NOT SUPPORT') return { kind: 'not-supported' };
  if (upper === 'NO CARRIER') return { kind: 'no-carrier' };
  if (upper === 'BUSY') return { kind: 'busy' };
  if (upper === 'NO ANSWER') return { kind: 'no-answer' };
  if (upper === 'NO DIALTONE' || upper === 'NO DIAL TONE') return { kind: 'no-dialtone' };
  const connect = /^CONNECT(?:\s+(\d+))?$/i.exec(text);
  if (connect) return { kind: 'connect', rate: connect[1] === undefined ? undefined : Number(connect[1]) };
  const error = /^\+(CME|CMS) ERROR:\s*(.*)$/i.exec(text);
  if (error) {
    const detail = (error[2] ?? '').trim();
    const code = /^\d+$/.test(detail) ? Number(detail) : (CME_BY_TEXT.get(detail.toLowerCase()) ?? undefined);
    return (error[1] ?? '').toUpperCase() === 'CME'
      ? { kind: 'cme-error', code, text: detail }
      : { kind: 'cms-error', code, text: detail };
  }
  return undefined;
}

export function isFinalResult(line: string): boolean {
  return parseFinal(line) !== undefined;
}

/** 3GPP TS 27.007 §9.2, the codes a USB stick in the field actually sends. */
export const CME_ERRORS: Record<number, string> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  15: 'SIM wrong',
  16: 'incorrect password',
  17: 'SIM PIN2 required',
  18: 'SIM PUK2 required',
  30: 'no network service',
  31: 'network timeout',
  32: 'network not allowed - emergency calls only',
  50: 'incorrect parameters',
  100: 'unknown',
  111: 'PLMN not allowed',
  112: 'location area not allowed',
  113: 'roaming not allowed in this location area',
  131: 'activation rejected',
  133: 'requested service option not subscribed',
  134: 'service option temporarily out of order',
  148: 'unspecified GPRS error',
  149: 'PDP authentication failure',
};

// `AT+CMEE=2` makes the modem send the words instead of the number.
const CME_BY_TEXT = new Map(
  Object.entries(CME_ERRORS).map(([code, text]) => [text.toLowerCase(), Number(code)]),
);

export type CmeClass =
  'no-sim' | 'sim-pin' | 'sim-puk' | 'sim-failure' | 'sim-busy' | 'network' | 'auth' | 'other';

export function classifyCme(code: number | undefined): CmeClass {
  switch (code) {
    case 10:
      return 'no-sim';
    case 11:
    case 17:
      return 'sim-pin';
    case 12:
    case 18:
      return 'sim-puk';
    case 13:
    case 15:
      return 'sim-failure';
    case 14:
      return 'sim-busy';
    case 30:
    case 31:
    case 32:
    case 111:
    case 112:
    case 113:
    case 131:
    case 133:
    case 134:
      return 'network';
    case 149:
      return 'auth';
    default:
      return 'other';
  }
}

/** What a technician should do about an error the modem reported. */
export function describeCme(code: number | undefined, text = ''): string {
  switch (classifyCme(code)) {
    case 'no-sim':
      return 'No SIM card detected: check that the SIM is inserted the right way up, then unplug and replug the stick.';
    case 'sim-pin':
      return 'The SIM is locked with a PIN: put it in a phone, enter the PIN and turn the PIN request off, then put it back.';
    case 'sim-puk':
      return 'The SIM is blocked (PUK required) after wrong PINs: unblock it in a phone with the PUK from the SIM packaging, or ask the operator.';
    case 'sim-failure':
      return 'The modem cannot read the SIM: clean the contacts, try the SIM in a phone, or replace it.';
    case 'sim-busy':
      return 'The SIM is still starting: wait 30 seconds and try again.';
    case 'network':
      return `The network refused the modem (${CME_ERRORS[code ?? -1] ?? text}): check coverage and that the SIM's data plan is active.`;
    case 'auth':
      return 'The network rejected the APN user name or password: check them against the SIM packaging or the operator.';
    default: {
      const meaning = code === undefined ? text : (CME_ERRORS[code] ?? text);
      return `The modem reported an error${meaning ? ` (${meaning})` : ''}.`;
    }
  }
}
