import { parseArgs } from 'node:util';
import { EXIT, LokoleError } from '@lokole/protocol';
import { createAdminTokens, ROLES } from '../auth/index.js';
import type { Config } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateLatest } from '../db/migrate.js';
import { createDbStore } from '../db/store.js';
import { createEmbeddedQueue } from '../jobs/embedded-queue.js';
import { createLogger } from '../log.js';
import { asUsage, type Io } from './main.js';

export async function tokenCommand(config: Config, args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = asUsage(() =>
    parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { role: { type: 'string' }, label: { type: 'string', default: '' } },
    }),
  );
  if (positionals[0] !== 'create' || !values.role) {
    throw new LokoleError(
      'INVALID_INPUT',
      `Usage: lokole-cloud token create --role ${ROLES.join('|')} [--label TEXT]`,
      {
        reason: 'usage',
      },
    );
  }
  const knex = openDatabase(config);
  try {
    if (config.engine === 'sqlite') await migrateLatest(knex);
    // Creating a token enqueues nothing; the queue is only here to complete the store.
    const queue = createEmbeddedQueue({
      knex,
      policies: () => ({ maxAttempts: 1, retryDelaySeconds: 1 }),
      log: createLogger({ level: 'silent' }),
    });
    const tokens = createAdminTokens({ store: createDbStore(knex, queue), now: () => new Date() });
    const created = await tokens.create(values.role, values.label);
    io.err(`Created a ${created.role} token (id ${created.id}). It is shown once; keep it safe:`);
    io.out(created.token);
  } finally {
    await knex.destroy();
  }
  return EXIT.ok;
}
