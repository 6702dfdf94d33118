#!/usr/bin/env node
// The app ships TypeScript sources; tsx compiles them as they load, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/lokole.ts');
