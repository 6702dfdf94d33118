#!/usr/bin/env node
// Runs the bundle (npm run build) when it is up to date, else the TypeScript sources through tsx.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pickEntry } from './entry.js';

const entry = pickEntry(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
if (entry.kind === 'sources') {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(entry.file).href);
