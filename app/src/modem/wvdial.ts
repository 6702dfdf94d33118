import { LokoleError } from '@lokole/protocol';
import { isValidApn } from './parsers/cgdcont.js';

/** What a dial needs, from the device config. */
export interface WvdialSettings {
  /** The modem port (interface 0), by-id path preferred. */
  modemPath: string;
  apn: string;
  username?: string;
  password?: string;
  /** `*99#` dials context 1; some SIMs want `*99***1#`. */
  phone?: string;
  baud?: number;
  dialAttempts?: number;
  /** For tests: a fake pppd. */
  pppdPath?: string;
}

function invalid(message: string, reason: string): LokoleError {
  return new LokoleError('INVALID_INPUT', message, { reason });
}

// wvdial.conf has no quoting: a value runs to the end of its line.
function checkValue(name: string, value: string): void {
  if (/[\r\n\0]/.test(value) || value !== value.trim()) {
    throw invalid(
      `The ${name} "${value}" has a line break or leading/trailing spaces: retype it.`,
      'bad-value',
    );
  }
}

/** Renders `[Dialer Defaults]` for wvdial 1.61 (modem.md §3.3). Throws INVALID_INPUT with the field to fix. */
export function renderWvdialConf(settings: WvdialSettings): string {
  const phone = settings.phone ?? '*99#';
  const username = settings.username ?? '';
  const password = settings.password ?? '';
  if (!/^\/[^\s]+$/.test(settings.modemPath)) {
    throw invalid(
      `The modem port "${settings.modemPath}" is not a device path like /dev/ttyUSB0.`,
      'bad-port',
    );
  }
  if (!isValidApn(settings.apn)) {
    throw invalid(
      `The APN "${settings.apn}" is not valid: an APN is letters, digits, dots and dashes, like "vodanet". Check the SIM packaging.`,
      'bad-apn',
    );
  }
  if (!/^[*#0-9]+$/.test(phone)) {
    throw invalid(`The number to dial "${phone}" is not valid: use *99# (or *99***1#).`, 'bad-phone');
  }
  checkValue('user name', username);
  checkValue('password', password);
  const lines = [
    '# Written by Lokole from the device config; changes here are overwritten.',
    '[Dialer Defaults]',
    `Modem = ${settings.modemPath}`,
    `Baud = ${settings.baud ?? 460800}`,
    'Init1 = ATZ',
    'Init2 = ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0',
    `Init3 = AT+CGDCONT=1,"IP","${settings.apn}"`,
    'Modem Type = Analog Modem',
    'ISDN = 0',
    `Phone = ${phone}`,
    // wvdial refuses an empty user name or password; { } is the customary "none".
    `Username = ${username || '{ }'}`,
    `Password = ${password || '{ }'}`,
    'Stupid Mode = 1',
    'Carrier Check = no',
    // Lokole decides when to dial again; wvdial redialing on its own would spend data unseen.
    'Auto Reconnect = off',
    `Dial Attempts = ${settings.dialAttempts ?? 3}`,
    'New PPPD = yes',
  ];
  if (settings.pppdPath !== undefined) {
    checkValue('pppd path', settings.pppdPath);
    lines.push(`PPPD Path = ${settings.pppdPath}`);
  }
  return `${lines.join('\n')}\n`;
}

export type DialFailure =
  | 'modem-not-responding'
  | 'bad-init'
  | 'no-carrier'
  | 'no-dialtone'
  | 'busy'
  | 'dial-timeout'
  | 'max-attempts'
  | 'hangup'
  | 'auth'
  | 'port-locked'
  | 'negotiation'
  | 'pppd-options'
  | 'pppd-died'
  | 'cannot-open'
  | 'bad-config';

export type WvdialEvent =
  | { type: 'initialized' }
  | { type: 'dialing'; phone: string }
  | { type: 'waiting-for-carrier' }
  | { type: 'connect'; rate: number | undefined }
  | { type: 'carrier' }
  | { type: 'pppd'; pid: number }
  | { type: 'interface'; name: string }
  | { type: 'local-ip'; address: string }
  | { type: 'remote-ip'; address: string }
  | { type: 'dns'; address: string }
  | { type: 'disconnecting' }
  /** `final` failures end the dial; others are retried by wvdial itself. */
  | { type: 'failure'; failure: DialFailure; final: boolean; detail: string };

const SENTENCES: Record<DialFailure, string> = {
  'modem-not-responding':
    'The modem did not answer wvdial: unplug the stick, wait 10 seconds, plug it back in, then open Modem diagnostics.',
  'bad-init':
    'The modem refused the setup commands, usually because of the APN: check the APN in the modem settings.',
  'no-carrier':
    'The network did not accept the data call: check the signal and registration in Modem diagnostics, and that the SIM has data credit.',
  'no-dialtone':
    'The modem reports no dial tone: the stick has no network; check the signal in Modem diagnostics.',
  busy: 'The network answered busy: try again in a few minutes.',
  'dial-timeout': 'The modem did not connect in time: check the signal in Modem diagnostics and try again.',
  'max-attempts':
    'The network refused the data call several times: check the signal and registration in Modem diagnostics, the APN, and that the SIM has data credit.',
  hangup:
    'The network hung up while the connection was being set up: usually the APN, user name or password is wrong, or the SIM has no data credit.',
  auth: 'The network rejected the user name or password: check them against the SIM packaging or the operator (many SIMs need none).',
  'port-locked':
    'Another program holds the modem port (ModemManager, or a dial already running): wait a minute; if it persists, make sure ModemManager is not installed.',
  negotiation:
    'The connection to the network could not be set up (PPP negotiation failed): check the APN, then try again.',
  'pppd-options': 'pppd rejected its options: re-apply the device settings (lokole apply) and try again.',
  'pppd-died': 'The connection program (pppd) stopped: see the sync log for its last lines, then try again.',
  'cannot-open':
    'wvdial cannot open the modem port: the stick may be unplugged or still in storage mode; open Modem diagnostics.',
  'bad-config': 'The dialer configuration is incomplete: re-enter the modem settings (APN, number to dial).',
};

/** What a technician should do about a failed dial. */
export function describeDialFailure(failure: DialFailure): string {
  return SENTENCES[failure];
}

function pppdDeath(reason: string): DialFailure {
  if (/hung up/i.test(reason)) return 'hangup';
  if (/authentication/i.test(reason)) return 'auth';
  if (/lock failed/i.test(reason)) return 'port-locked';
  if (/negotiation failed/i.test(reason)) return 'negotiation';
  if (/options error/i.test(reason)) return 'pppd-options';
  return 'pppd-died';
}

/** One line of wvdial's output (its own `--> ` lines, pppd's echoed ones, and the modem's) as an event. */
export function parseWvdialLine(rawLine: string): WvdialEvent | undefined {
  const line = rawLine.trim();
  const text = line.replace(/^-->\s?/, '');
  let match: RegExpExecArray | null;
  const failure = (kind: DialFailure, final: boolean): WvdialEvent => ({
    type: 'failure',
    failure: kind,
    final,
    detail: text,
  });

  if (text === 'Modem initialized.') return { type: 'initialized' };
  if ((match = /^Sending: ATD[TP]?(\S+)$/i.exec(text))) return { type: 'dialing', phone: match[1] ?? '' };
  if (text === 'Waiting for carrier.') return { type: 'waiting-for-carrier' };
  if ((match = /^CONNECT(?:\s+(\d+))?$/.exec(text))) {
    return { type: 'connect', rate: match[1] === undefined ? undefined : Number(match[1]) };
  }
  if (text.startsWith('Carrier detected.')) return { type: 'carrier' };
  if ((match = /^Pid of pppd: (\d+)$/.exec(text))) return { type: 'pppd', pid: Number(match[1]) };
  if ((match = /^Using interface (\S+)$/.exec(text))) return { type: 'interface', name: match[1] ?? '' };
  // pppd pads these to line up: "local  IP address", "primary   DNS address".
  if ((match = /^local\s+IP address (\S+)$/.exec(text))) return { type: 'local-ip', address: match[1] ?? '' };
  if ((match = /^remote\s+IP address (\S+)$/.exec(text)))
    return { type: 'remote-ip', address: match[1] ?? '' };
  if ((match = /^(?:primary|secondary)\s+DNS address (\S+)$/.exec(text))) {
    return { type: 'dns', address: match[1] ?? '' };
  }
  if (text.startsWith('Disconnecting at')) return { type: 'disconnecting' };

  if (text === 'Modem not responding.') return failure('modem-not-responding', true);
  if (text === 'Bad init string.') return failure('bad-init', true);
  if (text.startsWith('No Carrier!')) return failure('no-carrier', false);
  if (text.startsWith('No dial tone.')) return failure('no-dialtone', !/Trying again/.test(text));
  if (text.startsWith('The line is busy.')) return failure('busy', !/Trying/.test(text));
  if (text.startsWith('Timed out while dialing.')) return failure('dial-timeout', false);
  if (text.startsWith('Maximum Attempts Exceeded')) return failure('max-attempts', true);
  if ((match = /^The PPP daemon has died: (.*?)(?: \(exit code = \d+\))?$/.exec(text))) {
    return failure(pppdDeath(match[1] ?? ''), true);
  }
  if (/^Authentication \((PAP|CHAP)\) failed/i.test(text) || text === 'Authentication error.') {
    return failure('auth', true);
  }
  if (text.startsWith('Cannot open ')) return failure('cannot-open', true);
  if (/^Configuration does not specify a valid/.test(text)) return failure('bad-config', true);
  return undefined;
}
