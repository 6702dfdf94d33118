import type { Logger } from 'pino';
import { EXIT } from '@lokole/protocol';
import { createCloud } from '../cloud.js';
import type { Config } from '../config.js';
import type { Io } from './main.js';

export async function serveCommand(config: Config, log: Logger, io: Io): Promise<number> {
  const cloud = await createCloud(config, { log });
  try {
    const { port, smtpPort } = await cloud.serve();
    io.out(`lokole-cloud listening: http on ${port}${smtpPort === undefined ? '' : `, smtp on ${smtpPort}`}`);
    await io.stopped;
  } finally {
    await cloud.close();
  }
  return EXIT.ok;
}
