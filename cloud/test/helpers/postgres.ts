import type { TestFn } from 'ava';
import { startPostgres, type RunningPostgres } from '../../src/dev/postgres.js';

/**
 * One throwaway PostgreSQL cluster per test file. Never skipped: without PostgreSQL the hook
 * fails with a message that says `make test` installs it.
 */
export function usePostgres(test: TestFn): () => RunningPostgres {
  let postgres: RunningPostgres | undefined;
  test.before(async () => {
    postgres = await startPostgres();
  });
  test.after.always(async () => {
    await postgres?.stop();
  });
  return () => {
    if (!postgres) throw new Error('PostgreSQL is not running yet (use it inside a test)');
    return postgres;
  };
}
