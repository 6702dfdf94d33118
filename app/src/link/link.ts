/**
 * How `lokole sync` reaches the internet: bring a link up, sync, take it down, and record what
 * the link cost. Implementations: the modem (src/modem/dialer.ts), always-on ethernet, and none.
 */
export type LinkKind = 'modem' | 'ethernet' | 'none';

export interface InterfaceBytes {
  /** Bytes received, as the network interface counted them (PPP framing and TCP/TLS overhead included). */
  rx: number;
  tx: number;
}

/** What the modem said just before dialing: the context a failed or costly sync is read with. */
export interface DialConditions {
  signalDbm: number | undefined;
  signalBars: number | undefined;
  operator: string | undefined;
  /** Circuit registration (`+CREG`). */
  registration: string | undefined;
  /** Packet-data registration (`+CGREG`), the one a dial needs. */
  dataRegistration: string | undefined;
  accessTechnology: string | undefined;
  /** Why some of the above is missing (the modem did not answer in time), in words. */
  problems: string[];
}

export interface LinkSession {
  readonly kind: LinkKind;
  /** `ppp0`, `eth0`; undefined when there is no interface to count on. */
  readonly interfaceName: string | undefined;
  readonly startedAt: Date;
  /** How long `up()` took: the dial, for a modem. */
  readonly upMs: number;
  readonly localAddress: string | undefined;
  readonly dial: DialConditions | undefined;
  /** The interface's counters when the link came up. */
  readonly startBytes: InterfaceBytes | undefined;
}

export interface LinkReport {
  kind: LinkKind;
  interfaceName: string | undefined;
  upMs: number;
  /** From up to down. */
  connectedMs: number;
  /** Bytes over the interface during the session; undefined when it cannot be counted. Sync puts the bytes it counted at the socket next to these. */
  bytes: InterfaceBytes | undefined;
  dial: DialConditions | undefined;
  /** Anything odd about the hang-up, in words (wvdial had to be killed). */
  warnings: string[];
}

export interface Link {
  readonly kind: LinkKind;
  /** Rejects with LokoleError `LINK_DOWN` and a sentence for the technician when the link cannot come up. */
  up(signal?: AbortSignal): Promise<LinkSession>;
  /** Never rejects for a link that is already gone: a report is always produced. */
  down(session: LinkSession): Promise<LinkReport>;
}
