import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import * as initial from './migrations/001-initial.js';

export type Db = Knex;

const MIGRATIONS: Record<string, Knex.Migration> = { '001-initial': initial };

/** Migrations are compiled in, so the CLI, tests and the server run the same list. */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name]!,
};

/** Opens (and creates) the SQLite database in WAL mode. Does not migrate. */
export async function openDatabase(file: string): Promise<Db> {
  await mkdir(path.dirname(file), { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        connection: { pragma(sql: string): unknown },
        done: (error: Error | null, c: unknown) => void,
      ) => {
        connection.pragma('journal_mode = WAL');
        connection.pragma('synchronous = NORMAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma('busy_timeout = 5000');
        done(null, connection);
      },
    },
  });
}

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateDatabase(db: Db): Promise<string[]> {
  const [, names] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return names;
}
