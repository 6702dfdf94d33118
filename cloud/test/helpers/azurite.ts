import type { TestFn } from 'ava';
import { startAzurite, type RunningAzurite } from '../../src/dev/azurite.js';

/** One Azurite per test file, started before its tests and stopped after them. */
export function useAzurite(test: TestFn): () => RunningAzurite {
  let azurite: RunningAzurite | undefined;
  test.before(async () => {
    azurite = await startAzurite();
  });
  test.after.always(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running yet (use it inside a test)');
    return azurite;
  };
}
