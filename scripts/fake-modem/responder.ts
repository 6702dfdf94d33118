/**
 * A scripted Huawei E303 as seen on its AT port. Pure: `handle(line, now)` returns what the
 * modem would send and after how long, so the same script drives serialport's mock binding in
 * unit tests and a socat pseudo-terminal for wvdial and `make start`.
 */

export const FAKE_MODEM_STATES = [
  'healthy',
  'no-sim',
  'pin-locked',
  'weak-signal',
  'roaming',
  'not-registered',
  'ussd-gsm7',
  'ussd-ucs2',
  'slow',
  'no-reply',
  'garbage',
  'no-carrier',
] as const;

export type FakeModemState = (typeof FAKE_MODEM_STATES)[number];

export function isFakeModemState(value: string): value is FakeModemState {
  return (FAKE_MODEM_STATES as readonly string[]).includes(value);
}

export interface FakeReply {
  /** Characters as they go on the wire, `\r\n` framing included. */
  data: string;
  delayMs: number;
}

export interface FakeModemOptions {
  /** How late the `slow` state answers. */
  slowMs?: number;
  /** How long after its OK the network's +CUSD arrives. */
  ussdDelayMs?: number;
  /** Per-command delays in ms (`{ 'AT+CSQ': 800 }`): a late answer to one command. */
  delays?: Record<string, number>;
  /** Commands this firmware answers with a bare ERROR, like old E303s do for `AT^SYSINFOEX`. */
  unsupported?: string[];
}

export interface FakeModem {
  readonly state: FakeModemState;
  handle(line: string, now?: number): FakeReply[];
  /** What wvdial last asked for with AT+CGDCONT, for tests. */
  readonly apn: string | undefined;
}

interface Profile {
  cpin: string | number;
  csq: string;
  creg: number;
  cgreg: number;
  cops: string;
  imsi: string | number;
  iccid: string | number;
  sysinfo: string;
  sysinfoex: string;
  hcsq: string;
  ussd: string | number;
}

// GSM-7 packed "Solde: 1250 FC. Valable 30 jours" (dcs 15) and UCS2 "Crédit: 3,50$ ✓" (dcs 72),
// as literals so that the fake modem does not lean on the encoder it helps to test.
export const USSD_GSM7_TEXT = 'Solde: 1250 FC. Valable 30 jours';
export const USSD_UCS2_TEXT = 'Crédit: 3,50$ ✓';
const USSD_GSM7 = '+CUSD: 0,"D3379B5CD68162B21A0C641CBA40D6303B2C669741331848FDAECBE7",15';
const USSD_UCS2 = '+CUSD: 0,"0043007200E9006400690074003A00200033002C00350030002400202713",72';

const HEALTHY: Profile = {
  cpin: 'READY',
  csq: '17,99',
  creg: 1,
  cgreg: 1,
  cops: '0,0,"Vodacom CD",2',
  imsi: '630011234567890',
  iccid: '98243011325476981032',
  sysinfo: '2,3,0,5,1,,4',
  sysinfoex: '2,3,0,1,,3,"WCDMA",41,"WCDMA"',
  hcsq: '"WCDMA",30,30,58',
  ussd: USSD_GSM7,
};

// CME error numbers stand for "this command fails with that error".
const PROFILES: Record<FakeModemState, Profile> = {
  healthy: HEALTHY,
  'no-sim': {
    ...HEALTHY,
    cpin: 10,
    csq: '15,99',
    creg: 0,
    cgreg: 0,
    cops: '0',
    imsi: 10,
    iccid: 10,
    sysinfo: '1,0,0,5,255',
    sysinfoex: '1,0,0,255,,3,"WCDMA",41,"WCDMA"',
    ussd: 10,
  },
  'pin-locked': {
    ...HEALTHY,
    cpin: 'SIM PIN',
    creg: 0,
    cgreg: 0,
    cops: '0',
    imsi: 11,
    iccid: '98243011325476981032',
    sysinfo: '1,0,0,5,1',
    sysinfoex: '1,0,0,1,,3,"WCDMA",41,"WCDMA"',
    ussd: 11,
  },
  'weak-signal': { ...HEALTHY, csq: '4,99', hcsq: '"WCDMA",8,5,20' },
  roaming: {
    ...HEALTHY,
    creg: 5,
    cgreg: 5,
    cops: '0,0,"Airtel CD",2',
    imsi: '234500012345678',
    sysinfo: '2,3,1,5,1,,4',
    sysinfoex: '2,3,1,1,,3,"WCDMA",41,"WCDMA"',
  },
  'not-registered': {
    ...HEALTHY,
    csq: '12,99',
    creg: 2,
    cgreg: 0,
    cops: '0',
    sysinfo: '0,0,0,0,1',
    sysinfoex: '0,0,0,1,,0,"",0,""',
    hcsq: '"NOSERVICE"',
    ussd: 30,
  },
  'ussd-gsm7': HEALTHY,
  'ussd-ucs2': { ...HEALTHY, ussd: USSD_UCS2 },
  slow: HEALTHY,
  'no-reply': HEALTHY,
  garbage: HEALTHY,
  'no-carrier': HEALTHY,
};

const IMEI = '358999000000001';

export function createFakeModem(state: FakeModemState, options: FakeModemOptions = {}): FakeModem {
  const profile = PROFILES[state];
  const slowMs = options.slowMs ?? 2000;
  const ussdDelayMs = options.ussdDelayMs ?? 200;
  let echo = true;
  let cmee = 0;
  let curc = true;
  let dataMode = false;
  let busyUntil = 0;
  let apn: string | undefined;

  const framed = (...lines: string[]) => lines.map((line) => `\r\n${line}\r\n`).join('');

  function error(code: number): string {
    if (cmee === 1) return `+CME ERROR: ${code}`;
    if (cmee === 2)
      return `+CME ERROR: ${code === 10 ? 'SIM not inserted' : code === 11 ? 'SIM PIN required' : 'unknown'}`;
    return 'ERROR';
  }

  /** Info lines and the final result for one command, before echo and delays. */
  function answer(command: string): { info: string[]; final: string; after?: FakeReply } {
    const upper = command.toUpperCase();
    const ok = (...info: string[]) => ({ info, final: 'OK' });
    const either = (value: string | number, line: (text: string) => string) =>
      typeof value === 'number' ? { info: [], final: error(value) } : ok(line(value));

    if (options.unsupported?.some((item) => item.toUpperCase() === upper))
      return { info: [], final: 'ERROR' };
    if (upper === 'AT') return ok();
    if (upper === 'ATZ') {
      echo = true;
      cmee = 0;
      curc = true;
      return ok();
    }
    if (upper === 'ATI') {
      return ok(
        'Manufacturer: huawei',
        'Model: E303',
        'Revision: 21.157.01.00.00',
        `IMEI: ${IMEI}`,
        '+GCAP: +CGSM,+DS,+ES',
      );
    }
    if (/^ATD/.test(upper)) {
      if (state === 'no-carrier') return { info: [], final: 'NO CARRIER' };
      dataMode = true;
      return { info: [], final: 'CONNECT 7200000' };
    }
    if (/^AT[A-Z&]/.test(upper) && !/^AT[+^]/.test(upper)) {
      // Basic commands such as wvdial's `ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0`: only echo matters here.
      const echoSetting = /E([01])/.exec(upper.replace(/\+.*$/, ''));
      if (echoSetting) echo = echoSetting[1] === '1';
      return ok();
    }
    if (upper.startsWith('AT+CMEE=')) {
      cmee = Number(upper.slice('AT+CMEE='.length)) || 0;
      return ok();
    }
    if (upper.startsWith('AT^CURC=')) {
      curc = upper.endsWith('1');
      return ok();
    }
    if (upper === 'AT+CPIN?') return either(profile.cpin, (value) => `+CPIN: ${value}`);
    if (upper === 'AT^CPIN?') return either(profile.cpin, (value) => `^CPIN: ${value},,10,3,10,3`);
    if (upper === 'AT+CSQ') return ok(`+CSQ: ${profile.csq}`);
    if (upper === 'AT+CREG?') return ok(`+CREG: 0,${profile.creg}`);
    if (upper === 'AT+CGREG?') return ok(`+CGREG: 0,${profile.cgreg}`);
    if (upper === 'AT+COPS?' || upper === 'AT+COPS=3,0;+COPS?') return ok(`+COPS: ${profile.cops}`);
    if (upper === 'AT+CIMI') return either(profile.imsi, (value) => value);
    if (upper === 'AT^ICCID?') return either(profile.iccid, (value) => `^ICCID: ${value}`);
    if (upper === 'AT+CGSN') return ok(IMEI);
    if (upper === 'AT+CGMI') return ok('huawei');
    if (upper === 'AT+CGMM') return ok('E303');
    if (upper === 'AT+CGMR') return ok('21.157.01.00.00');
    if (upper === 'AT^SYSINFO') return ok(`^SYSINFO:${profile.sysinfo}`);
    if (upper === 'AT^SYSINFOEX') return ok(`^SYSINFOEX:${profile.sysinfoex}`);
    if (upper === 'AT^HCSQ?') return ok(`^HCSQ:${profile.hcsq}`);
    if (upper === 'AT+CGDCONT?') return ok(`+CGDCONT: 1,"IP","${apn ?? 'vodanet'}","0.0.0.0",0,0`);
    if (upper.startsWith('AT+CGDCONT=')) {
      apn = /"IP","([^"]*)"/i.exec(command)?.[1];
      return ok();
    }
    if (upper === 'AT+CFUN?') return ok('+CFUN: 1');
    if (upper.startsWith('AT+CUSD=1')) {
      if (typeof profile.ussd === 'number') return { info: [], final: error(profile.ussd) };
      return { info: [], final: 'OK', after: { data: framed(profile.ussd), delayMs: ussdDelayMs } };
    }
    if (upper.startsWith('AT+CUSD=2')) return ok();
    return { info: [], final: state === 'healthy' ? 'ERROR' : 'COMMAND NOT SUPPORT' };
  }

  return {
    state,
    get apn() {
      return apn;
    },
    handle(rawLine, now = Date.now()) {
      const line = rawLine.trim();
      if (line.length === 0) return [];
      if (dataMode) {
        // PPP frames go to pppd, not to us. A real modem also leaves data mode when DTR drops as
        // the port closes, which a pseudo-terminal cannot show: the ATZ of the next dial stands for it.
        if (line.includes('+++')) dataMode = false;
        if (line.toUpperCase() !== 'ATZ') return [];
        dataMode = false;
      }
      if (state === 'no-reply') return [];
      // A busy Huawei ignores commands until it has answered the one it is working on.
      if (now < busyUntil) return [];
      const echoed = echo ? `${line}\r` : '';
      if (state === 'garbage') {
        return [
          {
            data: `${echoed}\r\n\u0000\u00ff~\u007f\u0010\u00c3\r\n\u007e\u0045\u0000\u0001\r\n`,
            delayMs: 5,
          },
        ];
      }
      const { info, final, after } = answer(line);
      // Until AT^CURC=0 the stick reports signal on its own, wherever it falls.
      const urc = curc && info.length > 0 ? framed('^RSSI:17') : '';
      const body = `${urc}${framed(...info)}${framed(final)}`;
      const delayMs = state === 'slow' ? slowMs : (options.delays?.[line.toUpperCase()] ?? 2);
      if (delayMs > 100) busyUntil = now + delayMs;
      // The echo comes at once; a slow answer comes later.
      const replies = [...(echoed ? [{ data: echoed, delayMs: 1 }] : []), { data: body, delayMs }];
      if (after) replies.push({ data: after.data, delayMs: delayMs + after.delayMs });
      return replies;
    },
  };
}
