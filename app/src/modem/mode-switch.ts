import { LokoleError } from '@lokole/protocol';
import type { Discovery, UsbStick } from './discovery.js';
import type { CommandRunner } from './processes.js';
import type { ModemTable } from './tables.js';

export interface ModeSwitchOptions {
  table: ModemTable;
  run: CommandRunner;
  /** usb_modeswitch normally ends within a few seconds; a hung USB bus must not hang a sync. */
  timeoutMs?: number;
  usbModeswitchPath?: string;
  signal?: AbortSignal;
}

/** The usb_modeswitch arguments that move this stick from storage to modem mode. */
export function modeSwitchArgs(stick: UsbStick, table: ModemTable): string[] {
  const entry = table.sticks
    .filter((model) => model.vendorId === stick.vendorId)
    .flatMap((model) => model.switches)
    .find((candidate) => candidate.from === stick.productId);
  if (!entry) {
    throw new LokoleError(
      'UNSUPPORTED',
      `Lokole has no switch message for the stick ${stick.vendorId}:${stick.productId}: add it to config/modems.json, or use a Huawei E303, E353 or E3131.`,
      { reason: 'no-switch-message' },
    );
  }
  return [
    '-v',
    `0x${stick.vendorId}`,
    '-p',
    `0x${stick.productId}`,
    '-V',
    `0x${stick.vendorId}`,
    '-P',
    `0x${entry.to}`,
    '-M',
    entry.messageContent,
    // Only this stick, if the bus has two of the same kind.
    ...(stick.busNumber !== undefined && stick.deviceNumber !== undefined
      ? ['-b', String(stick.busNumber), '-g', String(stick.deviceNumber)]
      : []),
  ];
}

/** Runs usb_modeswitch once for a stick in storage mode. The stick re-enumerates afterwards. */
export async function switchToModemMode(stick: UsbStick, options: ModeSwitchOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const file = options.usbModeswitchPath ?? 'usb_modeswitch';
  const args = modeSwitchArgs(stick, options.table);
  const result = await options.run(file, args, { timeoutMs, signal: options.signal });
  if (result.failure !== undefined) {
    throw new LokoleError(
      'UNAVAILABLE',
      `usb_modeswitch could not run (${result.failure}): install the usb-modeswitch package.`,
      { reason: 'modeswitch-missing' },
    );
  }
  if (result.timedOut) {
    throw new LokoleError(
      'UNAVAILABLE',
      `usb_modeswitch did not finish within ${timeoutMs / 1000} s: unplug the stick, wait 10 seconds, plug it into a powered USB hub and try again.`,
      { reason: 'modeswitch-timeout' },
    );
  }
  if (result.exitCode !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    throw new LokoleError(
      'UNAVAILABLE',
      `usb_modeswitch failed for ${stick.vendorId}:${stick.productId} (exit code ${result.exitCode ?? '?'}${detail ? `: ${detail}` : ''}): unplug the stick, wait 10 seconds and plug it back in.`,
      { reason: 'modeswitch-failed' },
    );
  }
}

export interface EnsureModemModeOptions extends ModeSwitchOptions {
  discover(): Promise<Discovery>;
  /** How long the stick may take to come back as a modem after the switch. */
  settleTimeoutMs?: number;
  pollMs?: number;
}

/**
 * The stick in modem mode, switching it first if it is in storage mode. Unlike the original
 * Lokole, which polled lsusb forever, this gives up with a sentence the technician can act on.
 */
export async function ensureModemMode(options: EnsureModemModeOptions): Promise<UsbStick> {
  const first = (await options.discover()).stick;
  if (first?.mode === 'modem') return first;
  if (!first) {
    throw new LokoleError(
      'LINK_DOWN',
      'No USB modem is plugged in: plug the stick in (through a powered USB hub), wait 30 seconds and try again.',
      { reason: 'no-modem' },
    );
  }
  if (first.mode === 'hilink') {
    throw new LokoleError(
      'UNSUPPORTED',
      `The stick ${first.vendorId}:${first.productId} is in HiLink mode (a network card without AT commands): set the Lokole to ethernet for this stick, or use a stick with serial firmware.`,
      { reason: 'hilink' },
    );
  }
  if (first.mode !== 'storage') {
    throw new LokoleError(
      'UNSUPPORTED',
      `The USB device ${first.vendorId}:${first.productId} is not a modem Lokole knows: use a Huawei E303, E353 or E3131.`,
      { reason: 'unknown-stick' },
    );
  }
  await switchToModemMode(first, options);
  const settleTimeoutMs = options.settleTimeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 2000;
  const deadline = Date.now() + settleTimeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const stick = (await options.discover()).stick;
    if (stick?.mode === 'modem' && stick.modemPort) return stick;
  }
  throw new LokoleError(
    'LINK_DOWN',
    `The stick was switched but did not come back as a modem within ${settleTimeoutMs / 1000} s: unplug it, wait 10 seconds, plug it back in and try again.`,
    { reason: 'modeswitch-no-modem' },
  );
}
