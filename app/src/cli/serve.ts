import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config.js';
import { createDevice } from '../device.js';
import type { CliIo } from './run.js';

/** Runs the webmail until SIGTERM or SIGINT. */
export async function serve(io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const device = await createDevice(config);
  const server = device.app.listen(config.port);
  server.keepAliveTimeout = 65_000;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  device.log.info({ port, domain: config.domain, dataDir: config.dataDir }, 'webmail listening');
  io.stdout.write(`Lokole webmail for ${config.domain} on http://localhost:${port}/\n`);
  const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  device.log.info({ signal }, 'stopping');
  server.closeAllConnections();
  server.close();
  await device.close();
  return 0;
}
