import { parseArgs } from 'node:util';
import { EXIT } from '@lokole/protocol';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateLatest, migrateRollback } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { asUsage, type Io } from './main.js';

export async function migrateCommand(config: Config, args: readonly string[], io: Io): Promise<number> {
  const { values } = asUsage(() =>
    parseArgs({ args: [...args], options: { rollback: { type: 'boolean', default: false } } }),
  );
  const knex = openDatabase(config);
  try {
    const names = values.rollback ? await migrateRollback(knex) : await migrateLatest(knex);
    io.out(
      names.length === 0
        ? 'The schema is up to date.'
        : `${values.rollback ? 'Rolled back' : 'Applied'}: ${names.join(', ')}`,
    );
    if (config.engine === 'postgres' && !values.rollback) {
      // pg-boss's schema and our queues, so that serve and worker processes start without racing.
      const { createPgBossQueue } = await import('../jobs/pg-boss-queue.js');
      const queue = createPgBossQueue({
        connectionString: config.databaseUrl,
        policies: () => ({ maxAttempts: config.sendMaxAttempts, retryDelaySeconds: config.retryBaseSeconds }),
        log: createLogger({ level: config.logLevel }),
      });
      await queue.start();
      await queue.stop();
      io.out('The pg-boss job queues are ready.');
    }
  } finally {
    await knex.destroy();
  }
  return EXIT.ok;
}
