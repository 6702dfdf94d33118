import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import * as initial from './migrations/001-initial.js';
import * as unreadIndex from './migrations/002-unread-index.js';

export type Db = Knex;

const MIGRATIONS: Record<string, Knex.Migration> = {
  '001-initial': initial,
  '002-unread-index': unreadIndex,
};

/** Migrations are compiled in, so the CLI, tests and the server run the same list. */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name]!,
};

/** Opens (and creates) the SQLite database in WAL mode. Does not migrate. */
export async function openDatabase(file: string): Promise<Db> {
  await mkdir(path.dirname(file), { recursive: true });
  const db = knex({
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
  // The read handle (below) is closed with the database: db.destroy() ends in client.destroy().
  const client = db.client as { destroy: (...args: unknown[]) => unknown };
  const destroy = client.destroy.bind(client);
  client.destroy = (...args) => {
    readers.get(db)?.handle.close();
    readers.delete(db);
    return destroy(...args);
  };
  return db;
}

/**
 * The hot reads of every page view (session, user, unread count, folder, search, read view)
 * go through a second, read-only connection and statements prepared once. Through knex each
 * query is built, compiled and prepared again, and waits in the pool: most of a page's cost
 * on the Pi, where the SQL itself takes well under a millisecond. WAL lets this handle read
 * the last commit while the knex connection writes.
 */
interface Reader {
  handle: Database.Database;
  statements: Map<string, Database.Statement>;
}

const readers = new WeakMap<Db, Reader>();

function readerFor(db: Db): Reader {
  let reader = readers.get(db);
  if (!reader) {
    const { filename } = db.client.config.connection as { filename: string };
    const handle = new Database(filename, { readonly: true, fileMustExist: true });
    handle.pragma('busy_timeout = 5000');
    reader = { handle, statements: new Map() };
    readers.set(db, reader);
  }
  return reader;
}

function prepared(db: Db, sql: string): Database.Statement {
  const reader = readerFor(db);
  let statement = reader.statements.get(sql);
  if (!statement) {
    statement = reader.handle.prepare(sql);
    reader.statements.set(sql, statement);
  }
  return statement;
}

/**
 * Rows of a SELECT (plain SQL, `?` parameters, 0/1 for booleans). Inside a transaction it
 * runs through knex, so it sees the transaction's own writes.
 */
export async function selectAll<T>(db: Db, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  if (db.isTransaction) return (await db.raw(sql, params as Knex.RawBinding[])) as T[];
  return prepared(db, sql).all(...params) as T[];
}

/** The first row of a SELECT, or undefined. */
export async function selectFirst<T>(
  db: Db,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T | undefined> {
  if (db.isTransaction) return ((await db.raw(sql, params as Knex.RawBinding[])) as T[])[0];
  return prepared(db, sql).get(...params) as T | undefined;
}

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateDatabase(db: Db): Promise<string[]> {
  const [, names] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return names;
}
