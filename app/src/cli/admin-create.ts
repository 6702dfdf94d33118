import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { LokoleError } from '@lokole/protocol';
import { createAccounts } from '../accounts/index.js';
import { loadConfig } from '../config.js';
import { createAccountStore, migrateDatabase, openDatabase } from '../db/index.js';
import type { CliIo } from './run.js';

/** Asks on a terminal without echo; reads the first line of stdin otherwise (scripts, the setup wizard). */
async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY) {
    const ask = async (prompt: string) => {
      const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
      const muted = rl as unknown as { _writeToOutput: (text: string) => void };
      io.stdout.write(prompt);
      muted._writeToOutput = () => undefined;
      const answer = await new Promise<string>((resolve) => rl.question('', resolve));
      rl.close();
      io.stdout.write('\n');
      return answer;
    };
    const password = await ask('Password: ');
    if ((await ask('Password again: ')) !== password) {
      throw new LokoleError('INVALID_INPUT', 'The two passwords differ; nothing was created.');
    }
    return password;
  }
  let text = '';
  for await (const chunk of io.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

export async function adminCreate(args: string[], io: CliIo): Promise<number> {
  let name: string | undefined;
  try {
    name = parseArgs({ args, options: { name: { type: 'string' } }, strict: true }).values.name;
  } catch (error) {
    throw new LokoleError(
      'INVALID_INPUT',
      `${(error as Error).message}. Usage: lokole admin create --name NAME`,
    );
  }
  if (!name) {
    io.stderr.write('lokole: admin create needs --name NAME\n');
    return 64;
  }
  const config = loadConfig(io.env);
  const password = await readPassword(io);
  const db = await openDatabase(config.databaseFile);
  try {
    await migrateDatabase(db);
    const accounts = createAccounts({
      store: createAccountStore(db),
      domain: config.domain,
      now: () => new Date(),
    });
    try {
      const admin = await accounts.createAdmin(name, password);
      io.stdout.write(`Created admin ${admin.address}\n`);
      return 0;
    } catch (error) {
      if (error instanceof LokoleError && error.code === 'INVALID_INPUT') {
        throw new LokoleError('INVALID_INPUT', `Cannot create admin "${name}": ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
  } finally {
    await db.destroy();
  }
}
