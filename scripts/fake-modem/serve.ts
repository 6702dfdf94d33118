/**
 * The fake modem on a pseudo-terminal, for `make start` and for trying wvdial by hand:
 *
 *   npx tsx scripts/fake-modem/serve.ts --state healthy --link /tmp/lokole/ttyLokole
 *
 * prints the device path to use as the modem, and runs until Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeModemPty } from './pty-server.js';
import { FAKE_MODEM_STATES, isFakeModemState } from './responder.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      state: { type: 'string', default: 'healthy' },
      link: { type: 'string', default: '/tmp/lokole-fake-modem/ttyLokole' },
      'slow-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      `Usage: tsx scripts/fake-modem/serve.ts [--state STATE] [--link PATH] [--slow-ms N]\nStates: ${FAKE_MODEM_STATES.join(', ')}`,
    );
    return;
  }
  const state = values.state;
  if (!isFakeModemState(state)) {
    throw new Error(`Unknown state "${state}"; choose one of: ${FAKE_MODEM_STATES.join(', ')}`);
  }
  const pty = await startFakeModemPty({
    state,
    link: values.link,
    slowMs: values['slow-ms'] === undefined ? undefined : Number(values['slow-ms']),
  });
  console.log(pty.devicePath);
  console.error(`fake modem (${state}) on ${pty.devicePath}; Ctrl-C to stop`);
  const stop = () => {
    void pty.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
