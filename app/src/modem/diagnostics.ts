import { isLokoleError, LokoleError } from '@lokole/protocol';
import type { DialConditions } from '../link/index.js';
import {
  createAtClient,
  type AtClient,
  type AtClientOptions,
  type AtResponse,
  type AtTransport,
} from './at-client.js';
import { suggestApn, type ApnSuggestion } from './carriers.js';
import { describeStick, portPath, type Discovery, type UsbMode } from './discovery.js';
import type { DialLockState } from './lock.js';
import { parseCgdcont, type PdpContext } from './parsers/cgdcont.js';
import { classifyCme, describeCme } from './parsers/cme.js';
import { parseCops, type Operator } from './parsers/cops.js';
import { parseCpin, type SimStatus } from './parsers/cpin.js';
import { parseCsq, type SignalQuality } from './parsers/csq.js';
import { parseCimi, parseIccid, parseIdentityLine, parseImei } from './parsers/identity.js';
import { parseRegistration, type Registration } from './parsers/registration.js';
import { parseSysinfo, parseSysinfoEx, type SystemInfo } from './parsers/sysinfo.js';
import { isUssdCode, packGsm7Hex, parseCusd, type UssdReply } from './parsers/ussd.js';
import type { CarrierTable } from './tables.js';

export type FieldReason =
  | 'no-sim'
  | 'sim-locked'
  | 'sim-error'
  | 'network'
  | 'not-supported'
  | 'error'
  | 'timeout'
  | 'unparsable'
  | 'modem-gone'
  | 'not-read';

/** One reading: its value, or why there is none and what to do, ready to print. */
export type Field<T> = { ok: true; value: T } | { ok: false; reason: FieldReason; message: string };

export type ModemStatus =
  | 'ok'
  | 'attention'
  | 'no-modem'
  | 'storage-mode'
  | 'hilink'
  | 'unknown-device'
  | 'no-ports'
  | 'dialing'
  | 'no-answer'
  | 'port-error';

export interface Finding {
  level: 'error' | 'warning' | 'info';
  /** A literal for tests and styling: `no-sim`, `weak-signal`, `roaming`… */
  code: string;
  message: string;
}

export interface ModemIdentityFields {
  manufacturer: string | undefined;
  model: string | undefined;
  revision: string | undefined;
}

export interface ModemSnapshot {
  takenAt: string;
  status: ModemStatus;
  /** One sentence for the top of the page. */
  summary: string;
  /** Most important first; what a technician should look at or do. */
  findings: Finding[];
  usb:
    | {
        vendorId: string;
        productId: string;
        model: string | undefined;
        mode: UsbMode;
        modemPort: string | undefined;
        pcuiPort: string | undefined;
        netInterface: string | undefined;
      }
    | undefined;
  /** The port the readings below came from. */
  atPort: string | undefined;
  identity: Field<ModemIdentityFields>;
  imei: Field<string>;
  sim: Field<SimStatus>;
  imsi: Field<string>;
  iccid: Field<string>;
  signal: Field<SignalQuality>;
  registration: Field<Registration>;
  dataRegistration: Field<Registration>;
  operator: Field<Operator>;
  system: Field<SystemInfo>;
  /** The context `*99#` dials (cid 1), as the modem has it now. */
  apn: Field<PdpContext>;
  suggestedApn: Field<ApnSuggestion>;
}

export interface UssdResult extends UssdReply {
  code: string;
}

export interface ModemDiagnosticsDeps {
  discover(): Promise<Discovery>;
  openTransport(path: string): Promise<AtTransport>;
  checkDialLock(): Promise<DialLockState>;
  carriers?: CarrierTable;
  clientOptions?: AtClientOptions;
  /** A page refresh should not re-query the modem: 5 s by default. */
  cacheMs?: number;
  now?: () => Date;
}

export interface ModemDiagnostics {
  snapshot(options?: { fresh?: boolean }): Promise<ModemSnapshot>;
  /** Sends a USSD code (`*123#`) and returns the network's answer, decoded. */
  ussd(code: string, options?: { timeoutMs?: number }): Promise<UssdResult>;
  /** Signal, operator and registration for a sync's log, read just before a dial. */
  readDialConditions(): Promise<DialConditions>;
}

const FIELDS = [
  'identity',
  'imei',
  'sim',
  'imsi',
  'iccid',
  'signal',
  'registration',
  'dataRegistration',
  'operator',
  'system',
  'apn',
  'suggestedApn',
] as const;

type Readings = Pick<ModemSnapshot, (typeof FIELDS)[number]>;

function notRead(message: string): Readings {
  const field = { ok: false as const, reason: 'not-read' as const, message };
  return Object.fromEntries(FIELDS.map((name) => [name, field])) as unknown as Readings;
}

const ok = <T>(value: T): Field<T> => ({ ok: true, value });

/** A reply that is not OK, as a field: the CME class decides the reason and the sentence. */
function refused<T>(response: AtResponse, what: string): Field<T> {
  const { result } = response;
  if (result.kind === 'cme-error') {
    const kind = classifyCme(result.code);
    const reason: FieldReason =
      kind === 'no-sim'
        ? 'no-sim'
        : kind === 'sim-pin' || kind === 'sim-puk'
          ? 'sim-locked'
          : kind === 'sim-failure' || kind === 'sim-busy'
            ? 'sim-error'
            : kind === 'network'
              ? 'network'
              : 'error';
    return { ok: false, reason, message: describeCme(result.code, result.text) };
  }
  if (result.kind === 'error' || result.kind === 'not-supported') {
    return { ok: false, reason: 'not-supported', message: `This modem does not report the ${what}.` };
  }
  return {
    ok: false,
    reason: 'error',
    message: `The modem answered ${response.final} when asked for the ${what}.`,
  };
}

/** What the snapshot says of the stick itself: ids, mode and the ports by path. */
function describeUsb(stick: NonNullable<Discovery['stick']>) {
  return {
    vendorId: stick.vendorId,
    productId: stick.productId,
    model: stick.model,
    mode: stick.mode,
    modemPort: stick.modemPort && portPath(stick.modemPort),
    pcuiPort: stick.pcuiPort && portPath(stick.pcuiPort),
    netInterface: stick.netInterface,
  };
}

export function createModemDiagnostics(deps: ModemDiagnosticsDeps): ModemDiagnostics {
  const now = deps.now ?? (() => new Date());
  const cacheMs = deps.cacheMs ?? 5000;
  let cached: { at: number; snapshot: ModemSnapshot } | undefined;
  // One owner per port: a snapshot and a USSD request never talk to the modem at the same time.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  };

  /** Finds the AT port, or the reason there is none, as a snapshot without readings. */
  async function locate(): Promise<
    { path: string; discovery: Discovery } | { snapshot: Omit<ModemSnapshot, 'takenAt'> }
  > {
    const lock = await deps.checkDialLock();
    if (lock.isDialing) {
      const summary =
        'A sync is using the modem right now: diagnostics will be available again when it hangs up (usually within a few minutes).';
      return {
        snapshot: {
          status: 'dialing',
          summary,
          findings: [{ level: 'info', code: 'dialing', message: summary }],
          usb: undefined,
          atPort: undefined,
          ...notRead('Not read while a sync is using the modem.'),
        },
      };
    }
    const discovery = await deps.discover();
    const stick = discovery.stick;
    const usb = stick && describeUsb(stick);
    const port = stick?.pcuiPort ?? stick?.modemPort;
    if (stick?.mode === 'modem' && port) return { path: portPath(port), discovery };
    const summary = describeStick(stick);
    const status: ModemStatus = !stick
      ? 'no-modem'
      : stick.mode === 'storage'
        ? 'storage-mode'
        : stick.mode === 'hilink'
          ? 'hilink'
          : stick.mode === 'modem'
            ? 'no-ports'
            : 'unknown-device';
    return {
      snapshot: {
        status,
        summary,
        findings: [{ level: 'error', code: status, message: summary }],
        usb,
        atPort: undefined,
        ...notRead('Not read: Lokole has no AT port to ask.'),
      },
    };
  }

  async function withClient<T>(
    path: string,
    task: (client: AtClient, lines: () => number) => Promise<T>,
  ): Promise<T> {
    const transport = await deps.openTransport(path);
    let lineCount = 0;
    transport.onLine(() => {
      lineCount += 1;
    });
    const client = createAtClient(transport, deps.clientOptions);
    try {
      return await task(client, () => lineCount);
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  async function read(client: AtClient): Promise<Readings> {
    let goneMessage: string | undefined;
    /** Runs one command; any failure becomes the field's reason, never an exception. */
    async function ask<T>(
      command: string,
      what: string,
      parse: (lines: string[]) => T | undefined,
      timeoutMs?: number,
    ): Promise<Field<T>> {
      if (goneMessage) return { ok: false, reason: 'modem-gone', message: goneMessage };
      let response: AtResponse;
      try {
        response = await client.command(command, { timeoutMs });
      } catch (error) {
        if (isLokoleError(error) && error.reason === 'modem-gone') {
          goneMessage = error.message;
          return { ok: false, reason: 'modem-gone', message: error.message };
        }
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, reason: 'timeout', message };
      }
      if (!response.ok) return refused(response, what);
      const value = parse(response.lines);
      return value === undefined
        ? {
            ok: false,
            reason: 'unparsable',
            message: `The modem's answer about the ${what} could not be read (${response.lines.join(' | ') || 'empty'}).`,
          }
        : ok(value);
    }

    const manufacturer = await ask('AT+CGMI', 'manufacturer', parseIdentityLine);
    const model = await ask('AT+CGMM', 'model', parseIdentityLine);
    const revision = await ask('AT+CGMR', 'firmware revision', parseIdentityLine);
    const identity: Field<ModemIdentityFields> =
      manufacturer.ok || model.ok || revision.ok
        ? ok({
            manufacturer: manufacturer.ok ? manufacturer.value : undefined,
            model: model.ok ? model.value : undefined,
            revision: revision.ok ? revision.value : undefined,
          })
        : manufacturer;
    const imei = await ask('AT+CGSN', 'IMEI', (lines) => parseImei(lines)?.imei);
    const sim = await ask('AT+CPIN?', 'SIM status', parseCpin, 10_000);
    const simBlocked: Field<never> | undefined = !sim.ok
      ? { ok: false, reason: sim.reason, message: sim.message }
      : sim.value.lock !== 'ready'
        ? { ok: false, reason: 'sim-locked', message: 'Not readable until the SIM is unlocked.' }
        : undefined;
    const imsi = simBlocked ?? (await ask('AT+CIMI', 'SIM identity (IMSI)', parseCimi));
    const iccid = await ask('AT^ICCID?', 'SIM serial number (ICCID)', parseIccid, 5000);
    const signal = await ask('AT+CSQ', 'signal', parseCsq);
    const registration = await ask(
      'AT+CREG?',
      'registration',
      (lines) => parseRegistration(lines, 'CREG'),
      10_000,
    );
    const dataRegistration = await ask(
      'AT+CGREG?',
      'data registration',
      (lines) => parseRegistration(lines, 'CGREG'),
      10_000,
    );
    const operator = await ask('AT+COPS?', 'operator', parseCops);
    let system = await ask('AT^SYSINFOEX', 'network mode', parseSysinfoEx);
    // Older firmware (E303 before 2012) only knows ^SYSINFO.
    if (!system.ok && system.reason === 'not-supported')
      system = await ask('AT^SYSINFO', 'network mode', parseSysinfo);
    const apn = await ask('AT+CGDCONT?', 'APN', (lines) =>
      parseCgdcont(lines).find((context) => context.cid === 1),
    );
    let suggestedApn: Field<ApnSuggestion>;
    if (!imsi.ok) {
      suggestedApn = { ok: false, reason: imsi.reason, message: 'No suggestion without the SIM identity.' };
    } else {
      const suggestion = deps.carriers && suggestApn(imsi.value, deps.carriers);
      suggestedApn = suggestion
        ? ok(suggestion)
        : {
            ok: false,
            reason: 'not-read',
            message: `Lokole knows no APN for the network ${imsi.value.slice(0, 5)}: enter it from the SIM packaging, or read it from an Android phone with this SIM (Settings › Mobile network › Access Point Names).`,
          };
    }
    return {
      identity,
      imei,
      sim,
      imsi,
      iccid,
      signal,
      registration,
      dataRegistration,
      operator,
      system,
      apn,
      suggestedApn,
    };
  }

  async function takeSnapshot(): Promise<ModemSnapshot> {
    const takenAt = now().toISOString();
    const located = await locate();
    if ('snapshot' in located) return { takenAt, ...located.snapshot };
    const stick = located.discovery.stick;
    const usb = stick && describeUsb(stick);
    const failed = (status: ModemStatus, summary: string): ModemSnapshot => ({
      takenAt,
      status,
      summary,
      findings: [{ level: 'error', code: status, message: summary }],
      usb,
      atPort: located.path,
      ...notRead('Not read: the modem does not answer.'),
    });
    try {
      return await withClient(located.path, async (client, lineCount) => {
        try {
          await client.initialize();
        } catch (error) {
          if (isLokoleError(error) && error.reason === 'at-timeout' && lineCount() > 0) {
            return failed(
              'no-answer',
              `The modem on ${located.path} sends data but no AT answers: this may be its DIAG port rather than the AT port, or the stick is still starting. Wait 30 seconds; if it persists, unplug and replug the stick.`,
            );
          }
          return failed(
            'no-answer',
            isLokoleError(error)
              ? error.message
              : `The modem on ${located.path} does not answer AT commands.`,
          );
        }
        const readings = await read(client);
        const findings = assess(readings);
        const worst =
          findings.find((finding) => finding.level === 'error') ??
          findings.find((f) => f.level === 'warning');
        return {
          takenAt,
          status: worst?.level === 'error' ? 'attention' : 'ok',
          summary: worst?.message ?? readySummary(readings),
          findings,
          usb,
          atPort: located.path,
          ...readings,
        };
      });
    } catch (error) {
      if (!isLokoleError(error)) throw error;
      return failed('port-error', error.message);
    }
  }

  async function sendUssd(code: string, timeoutMs: number): Promise<UssdResult> {
    if (!isUssdCode(code)) {
      throw new LokoleError(
        'INVALID_INPUT',
        `"${code}" is not a USSD code: it starts with * or # and ends with #, like *123#.`,
        { reason: 'bad-ussd-code' },
      );
    }
    const located = await locate();
    if ('snapshot' in located) {
      throw new LokoleError('UNAVAILABLE', located.snapshot.summary, { reason: located.snapshot.status });
    }
    return withClient(located.path, async (client) => {
      await client.initialize();
      // Huawei ignores AT+CSCS for USSD and wants the request GSM-7 packed; ModemManager falls back
      // to plain text in the GSM character set when the firmware refuses that.
      const attempts = [
        { setup: undefined, request: packGsm7Hex(code), sentPacked: true },
        { setup: 'AT+CSCS="GSM"', request: code, sentPacked: false },
      ];
      for (const attempt of attempts) {
        if (attempt.setup) await client.command(attempt.setup, { expectPrefix: null });
        const abort = new AbortController();
        const urc = client.waitUrc('+CUSD:', { timeoutMs, signal: abort.signal });
        urc.catch(() => undefined);
        const response = await client.command(`AT+CUSD=1,"${attempt.request}",15`, {
          timeoutMs: 10_000,
          expectPrefix: null,
        });
        if (!response.ok) {
          abort.abort();
          if (response.result.kind === 'cme-error') {
            throw new LokoleError('UNAVAILABLE', describeCme(response.result.code, response.result.text), {
              reason: 'ussd-refused',
            });
          }
          continue;
        }
        const reply = parseCusd(await urc, { sentPacked: attempt.sentPacked });
        if (!reply) {
          throw new LokoleError('UNAVAILABLE', 'The network sent an answer Lokole cannot read; try again.', {
            reason: 'ussd-unreadable',
          });
        }
        // The network waits for a menu choice we will not send: end the session so the modem is free.
        if (reply.status === 'more-input') await client.command('AT+CUSD=2', { expectPrefix: null });
        return { code, ...reply };
      }
      throw new LokoleError('UNSUPPORTED', `This modem refuses USSD codes such as ${code}.`, {
        reason: 'ussd-unsupported',
      });
    });
  }

  return {
    snapshot(options = {}) {
      return exclusive(async () => {
        if (!options.fresh && cached && Date.now() - cached.at < cacheMs) return cached.snapshot;
        const snapshot = await takeSnapshot();
        cached = { at: Date.now(), snapshot };
        return snapshot;
      });
    },
    ussd(code, options = {}) {
      return exclusive(() => sendUssd(code, options.timeoutMs ?? 30_000));
    },
    async readDialConditions() {
      const snapshot = await this.snapshot({ fresh: true });
      return dialConditionsFrom(snapshot);
    },
  };
}

function readySummary(readings: Readings): string {
  const operator = readings.operator.ok ? readings.operator.value.name : undefined;
  const signal = readings.signal.ok ? readings.signal.value : undefined;
  const tech = readings.system.ok ? (readings.system.value.submode ?? readings.system.value.mode) : undefined;
  const parts = [
    operator && `on ${operator}`,
    signal?.dbm !== undefined && `signal ${signal.label} (${signal.dbm} dBm, ${signal.bars}/4)`,
    tech,
  ].filter(Boolean);
  return `The modem is ready to dial${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}

/** Turns readings into what a technician should do, most important first. */
export function assess(readings: Readings): Finding[] {
  const findings: Finding[] = [];
  const { sim, signal, dataRegistration, registration, operator, system, suggestedApn } = readings;
  if (!sim.ok && sim.reason !== 'not-read') {
    findings.push({
      level: 'error',
      code: sim.reason === 'no-sim' ? 'no-sim' : 'sim-error',
      message: sim.message,
    });
  } else if (sim.ok && sim.value.lock !== 'ready') {
    const puk = sim.value.lock === 'sim-puk' || sim.value.lock === 'sim-puk2';
    findings.push({
      level: 'error',
      code: puk ? 'sim-puk' : 'sim-pin',
      message: describeCme(puk ? 12 : 11),
    });
  }
  const simReady = sim.ok && sim.value.lock === 'ready';
  if (signal.ok) {
    const { bars, dbm } = signal.value;
    if (signal.value.label === 'unknown') {
      findings.push({
        level: 'warning',
        code: 'signal-unknown',
        message: 'The modem does not know the signal strength yet: wait a minute and refresh.',
      });
    } else if (bars === 0) {
      findings.push({
        level: 'error',
        code: 'no-signal',
        message: `No usable signal (${dbm} dBm): move the stick higher or near a window, use a USB extension cable, or try another place.`,
      });
    } else if (bars === 1) {
      findings.push({
        level: 'warning',
        code: 'weak-signal',
        message: `The signal is weak (${dbm} dBm, 1 bar of 4): a sync may fail or be slow; move the stick higher or near a window, or use a USB extension cable.`,
      });
    }
  }
  const data = dataRegistration.ok
    ? dataRegistration.value
    : registration.ok
      ? registration.value
      : undefined;
  if (simReady && data) {
    if (data.state === 'denied') {
      findings.push({
        level: 'error',
        code: 'registration-denied',
        message:
          'The network refused this SIM: ask the operator whether the SIM is active and has a data plan.',
      });
    } else if (data.state === 'searching') {
      findings.push({
        level: 'warning',
        code: 'searching',
        message:
          'The modem is still looking for a network: wait a minute and refresh; if it stays so, check coverage here.',
      });
    } else if (!data.isRegistered) {
      findings.push({
        level: 'error',
        code: 'not-registered',
        message:
          'The modem is not registered on any network: check the coverage here and that the SIM is active, then unplug and replug the stick.',
      });
    } else if (data.state === 'roaming' || (system.ok && system.value.isRoaming)) {
      const name = operator.ok && operator.value.name ? ` on ${operator.value.name}` : '';
      findings.push({
        level: 'warning',
        code: 'roaming',
        message: `The SIM is roaming${name}: data may cost roaming rates. That is expected for a Hologram SIM; otherwise check the SIM's operator.`,
      });
    }
  }
  if (suggestedApn.ok && !suggestedApn.value.isVerified) {
    findings.push({
      level: 'info',
      code: 'apn-unverified',
      message: `The APN suggested for ${suggestedApn.value.carrier.name} is a guess: confirm it from the SIM packaging or an Android phone with this SIM.`,
    });
  }
  return findings;
}

/** The part of a snapshot a sync's log keeps. */
export function dialConditionsFrom(snapshot: ModemSnapshot): DialConditions {
  const problems = snapshot.status === 'ok' || snapshot.status === 'attention' ? [] : [snapshot.summary];
  const value = <T>(field: Field<T>): T | undefined => {
    if (field.ok) return field.value;
    if (field.reason !== 'not-read' && !problems.includes(field.message)) problems.push(field.message);
    return undefined;
  };
  const signal = value(snapshot.signal);
  const registration = value(snapshot.registration);
  const dataRegistration = value(snapshot.dataRegistration);
  const operator = value(snapshot.operator);
  const system = value(snapshot.system);
  return {
    signalDbm: signal?.dbm,
    signalBars: signal?.bars,
    operator: operator?.name,
    registration: registration?.state,
    dataRegistration: dataRegistration?.state,
    accessTechnology: system?.submode ?? system?.mode ?? dataRegistration?.accessTechnology,
    problems,
  };
}
