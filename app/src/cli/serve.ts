import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, nextSyncTime } from '../config.js';
import { createDevice } from '../device.js';
import { createSyncScheduler } from '../sync/scheduler.js';
import type { CliIo } from './run.js';

/**
 * Runs the webmail until SIGTERM or SIGINT. With --dev (no systemd) it also
 * runs the sync schedule and "sync now", starting `lokole sync` as its own
 * process as the timer would.
 */
export async function serve(argv: string[], io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const device = await createDevice(config);
  const scheduler = argv.includes('--dev')
    ? createSyncScheduler({
        nextRun: (now) => nextSyncTime(config.syncSchedule, now),
        requestFile: path.join(config.dataDir, 'sync-request'),
        runSync: async (reason) => {
          device.log.info({ reason }, 'starting lokole sync');
          const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'sync'], {
            env: { ...io.env },
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          const [code] = (await once(child, 'exit')) as [number | null];
          device.log.info({ reason, code }, 'lokole sync ended');
        },
        onError: (error) => device.log.error({ err: error }, 'could not start lokole sync'),
      })
    : undefined;
  const server = device.app.listen(config.port);
  server.keepAliveTimeout = 65_000;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  device.log.info({ port, domain: config.domain, dataDir: config.dataDir }, 'webmail listening');
  io.stdout.write(`Lokole webmail for ${config.domain} on http://localhost:${port}/\n`);
  const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  device.log.info({ signal }, 'stopping');
  scheduler?.stop();
  server.closeAllConnections();
  server.close();
  await device.close();
  return 0;
}
