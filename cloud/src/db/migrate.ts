import type { Knex } from 'knex';
import * as initial from './migrations/001-initial.js';
import * as sync from './migrations/002-sync.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Listed in code rather than read from a folder, so they load the same under tsx, in tests and in a bundle.
const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['001-initial', initial],
  ['002-sync', sync],
];

const source: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, names] = (await knex.migrate.latest({
    migrationSource: source,
    tableName: 'knex_migrations',
  })) as [number, string[]];
  return names;
}

export async function migrateRollback(knex: Knex): Promise<string[]> {
  const [, names] = (await knex.migrate.rollback(
    { migrationSource: source, tableName: 'knex_migrations' },
    true,
  )) as [number, string[]];
  return names;
}
