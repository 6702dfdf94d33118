import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Config } from '../config.js';

/** Opens the database that `databaseUrl` names: a SQLite file (WAL) or PostgreSQL. */
export function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'engine'>,
  options: { pool?: number } = {},
): Knex {
  if (config.engine === 'sqlite') {
    const file = decodeURIComponent(new URL(config.databaseUrl).pathname);
    mkdirSync(path.dirname(file), { recursive: true });
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(connection: { pragma(sql: string): unknown }, done: (error: Error | null) => void) {
          // WAL lets readers run beside the writer; NORMAL is durable across a crash of the process.
          connection.pragma('journal_mode = WAL');
          connection.pragma('synchronous = NORMAL');
          connection.pragma('foreign_keys = ON');
          connection.pragma('busy_timeout = 5000');
          done(null);
        },
      },
    });
  }
  return knexFactory({
    client: 'pg',
    connection: config.databaseUrl,
    pool: { min: 0, max: options.pool ?? 10 },
  });
}

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
