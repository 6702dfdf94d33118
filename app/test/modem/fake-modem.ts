import type { ExecutionContext } from 'ava';
import { createRespondingBinding, type RespondingBinding } from '../../../scripts/fake-modem/mock-binding.js';
import {
  createFakeModem,
  type FakeModem,
  type FakeModemOptions,
  type FakeModemState,
} from '../../../scripts/fake-modem/responder.js';
import {
  createAtClient,
  type AtClient,
  type AtClientOptions,
  type AtTransport,
} from '../../src/modem/index.js';
import { openSerialTransport } from '../../src/serial/index.js';

export interface Connected {
  client: AtClient;
  fake: RespondingBinding;
  modem: FakeModem;
  transport: AtTransport;
}

/** Short timeouts so that the timeout paths run in well under a second. */
export const FAST: AtClientOptions = { timeoutMs: 400, quietMs: 40, resyncTimeoutMs: 250, resyncAttempts: 5 };

/** The AT client over the real serial transport, over serialport's mock binding, over the fake modem. */
export async function connectFakeModem(
  t: ExecutionContext,
  state: FakeModemState,
  modemOptions: FakeModemOptions = {},
  clientOptions: AtClientOptions = FAST,
): Promise<Connected> {
  const modem = createFakeModem(state, modemOptions);
  const fake = createRespondingBinding(modem);
  const transport = await openSerialTransport({ path: fake.path, binding: fake.binding });
  const client = createAtClient(transport, clientOptions);
  t.teardown(() => client.close().catch(() => undefined));
  return { client, fake, modem, transport };
}

/** A fake modem the diagnostics can open by path, any number of times. */
export function fakeModemOpener(state: FakeModemState, modemOptions: FakeModemOptions = {}) {
  const modem = createFakeModem(state, modemOptions);
  const fake = createRespondingBinding(modem);
  return {
    modem,
    fake,
    openTransport: (_path: string) => openSerialTransport({ path: fake.path, binding: fake.binding }),
  };
}
