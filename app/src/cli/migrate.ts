import { loadConfig } from '../config.js';
import { migrateDatabase, openDatabase } from '../db/index.js';
import type { CliIo } from './run.js';

export async function migrate(io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const db = await openDatabase(config.databaseFile);
  try {
    const ran = await migrateDatabase(db);
    io.stdout.write(
      ran.length
        ? `Applied ${ran.join(', ')} to ${config.databaseFile}\n`
        : `${config.databaseFile} is up to date\n`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}
