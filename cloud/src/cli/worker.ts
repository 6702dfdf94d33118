import type { Logger } from 'pino';
import { EXIT } from '@lokole/protocol';
import { createCloud } from '../cloud.js';
import type { Config } from '../config.js';
import type { Io } from './main.js';

export async function workerCommand(config: Config, log: Logger, io: Io): Promise<number> {
  const cloud = await createCloud(config, { log });
  try {
    await cloud.prepare();
    cloud.work();
    io.out(`lokole-cloud worker running (${cloud.queue.kind} queue)`);
    await io.stopped;
  } finally {
    await cloud.close();
  }
  return EXIT.ok;
}
