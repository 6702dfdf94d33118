import { findTagged, splitFields, toInt, type AtText } from './lines.js';

export type ServiceStatus =
  'no-service' | 'restricted' | 'valid' | 'restricted-regional' | 'power-saving' | 'unknown';
export type ServiceDomain = 'none' | 'circuit' | 'packet' | 'packet-and-circuit' | 'searching' | 'unknown';
export type SimState = 'valid' | 'invalid' | 'missing' | 'rom-sim' | 'unknown';

export interface SystemInfo {
  serviceStatus: ServiceStatus;
  serviceDomain: ServiceDomain;
  isRoaming: boolean;
  simState: SimState;
  /** `WCDMA`, `GSM`… or undefined with no service. */
  mode: string | undefined;
  /** `HSPA+`, `EDGE`… when the modem says. */
  submode: string | undefined;
}

const SERVICE_STATUS: Record<number, ServiceStatus> = {
  0: 'no-service',
  1: 'restricted',
  2: 'valid',
  3: 'restricted-regional',
  4: 'power-saving',
};
const SERVICE_DOMAIN: Record<number, ServiceDomain> = {
  0: 'none',
  1: 'circuit',
  2: 'packet',
  3: 'packet-and-circuit',
  4: 'searching',
};
const SYSINFO_MODES: Record<number, string> = {
  0: 'none',
  2: 'CDMA',
  3: 'GSM/GPRS',
  4: 'HDR',
  5: 'WCDMA',
  7: 'GSM/WCDMA',
  8: 'CDMA/HDR',
  15: 'TD-SCDMA',
};
const SYSINFO_SUBMODES: Record<number, string> = {
  0: 'none',
  1: 'GSM',
  2: 'GPRS',
  3: 'EDGE',
  4: 'WCDMA',
  5: 'HSDPA',
  6: 'HSUPA',
  7: 'HSPA',
  9: 'HSPA+',
  17: 'HSPA+ 64QAM',
  18: 'HSPA+ MIMO',
};
const SYSINFOEX_MODES: Record<number, string> = {
  0: 'none',
  1: 'GSM',
  2: 'CDMA',
  3: 'WCDMA',
  4: 'TD-SCDMA',
  5: 'WiMAX',
  6: 'LTE',
};

function simStateOf(value: number | undefined): SimState {
  if (value === 1) return 'valid';
  if (value === 255) return 'missing';
  if (value === 240) return 'rom-sim';
  if (value === 0 || value === 2 || value === 3 || value === 4) return 'invalid';
  return 'unknown';
}

/**
 * Huawei `^SYSINFO: <srv_status>,<srv_domain>,<roam>,<sys_mode>,<sim_state>[,<lock>,<submode>]`.
 * The lock field is often empty (`…,1,,4`).
 */
export function parseSysinfo(input: AtText): SystemInfo | undefined {
  const body = findTagged(input, '^SYSINFO:');
  if (body === undefined) return undefined;
  const fields = splitFields(body).map((field) => field.value);
  const [status, domain, roam, mode, sim] = fields.slice(0, 5).map(toInt);
  if (status === undefined || domain === undefined || roam === undefined || mode === undefined)
    return undefined;
  const submode = toInt(fields[6]);
  return {
    serviceStatus: SERVICE_STATUS[status] ?? 'unknown',
    serviceDomain: SERVICE_DOMAIN[domain] ?? 'unknown',
    isRoaming: roam === 1,
    simState: simStateOf(sim),
    mode: status === 0 ? undefined : (SYSINFO_MODES[mode] ?? `mode ${mode}`),
    // The submode only means something while there is service.
    submode:
      status === 0 || submode === undefined ? undefined : (SYSINFO_SUBMODES[submode] ?? `submode ${submode}`),
  };
}

/**
 * Huawei `^SYSINFOEX: <srv_status>,<srv_domain>,<roam>,<sim_state>,<reserved>,<sysmode>,"<name>",<submode>,"<name>"`.
 * The SIM state is fourth here, not fifth; the E303 sends the names without quotes.
 */
export function parseSysinfoEx(input: AtText): SystemInfo | undefined {
  const body = findTagged(input, '^SYSINFOEX:');
  if (body === undefined) return undefined;
  const fields = splitFields(body).map((field) => field.value);
  const [status, domain, roam, sim] = fields.slice(0, 4).map(toInt);
  const mode = toInt(fields[5]);
  if (status === undefined || domain === undefined || roam === undefined) return undefined;
  const modeName = fields[6] || (mode === undefined ? undefined : SYSINFOEX_MODES[mode]);
  const submodeName = fields[8] || undefined;
  return {
    serviceStatus: SERVICE_STATUS[status] ?? 'unknown',
    serviceDomain: SERVICE_DOMAIN[domain] ?? 'unknown',
    isRoaming: roam === 1,
    simState: simStateOf(sim),
    mode: status === 0 || mode === 0 ? undefined : modeName,
    submode: status === 0 ? undefined : submodeName,
  };
}

export interface HuaweiSignal {
  /** `WCDMA`, `LTE`, `GSM`, or `NOSERVICE`. */
  mode: string;
  /** The raw values after the mode; their meaning depends on it (RSSI, RSCP, Ec/Io for WCDMA). */
  values: number[];
  /** WCDMA only: received signal code power, −120 + value dBm. */
  rscpDbm: number | undefined;
  /** WCDMA only: Ec/Io, −32 + value/2 dB. */
  ecioDb: number | undefined;
}

/** `^HCSQ: "WCDMA",30,30,58` / `^HCSQ: "NOSERVICE"`. */
export function parseHcsq(input: AtText): HuaweiSignal | undefined {
  const body = findTagged(input, '^HCSQ:');
  if (body === undefined) return undefined;
  const [first, ...rest] = splitFields(body).map((field) => field.value);
  if (!first) return undefined;
  const mode = first.toUpperCase();
  const values = rest.map(toInt).filter((value): value is number => value !== undefined);
  const rscp = mode === 'WCDMA' ? values[1] : undefined;
  const ecio = mode === 'WCDMA' ? values[2] : undefined;
  return {
    mode,
    values,
    rscpDbm: rscp === undefined || rscp === 255 ? undefined : -120 + rscp,
    ecioDb: ecio === undefined || ecio === 255 ? undefined : -32 + ecio / 2,
  };
}
