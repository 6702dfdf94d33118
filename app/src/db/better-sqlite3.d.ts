// The part of better-sqlite3 that src/db/connection.ts uses (the package ships no types and
// @types/better-sqlite3 is not installed).
declare module 'better-sqlite3' {
  namespace Database {
    interface Statement {
      all(...params: unknown[]): unknown[];
      get(...params: unknown[]): unknown;
    }
    interface Database {
      prepare(sql: string): Statement;
      pragma(sql: string): unknown;
      close(): void;
    }
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database;
  export = Database;
}
