import test from 'ava';
import { type LokoleError } from '@lokole/protocol';
import { createNoLink } from '../../src/link/index.js';

test('a local-only Lokole refuses to bring a link up, saying how to change it', async (t) => {
  const link = createNoLink();
  t.is(link.kind, 'none');
  const error = await t.throwsAsync<LokoleError>(link.up());
  t.is(error?.code, 'LINK_DOWN');
  t.regex(error?.message ?? '', /set to local only.*choose a modem or ethernet connection/);
});
