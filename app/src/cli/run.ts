import { EXIT, LokoleError, exitCodeFor } from '@lokole/protocol';
import { adminCreate } from './admin-create.js';
import { runApply } from './apply.js';
import { migrate } from './migrate.js';
import { serve } from './serve.js';
import { runSync } from './sync.js';

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `Usage:
  lokole serve [--dev]             run the webmail (PORT, LOKOLE_DATA_DIR…: see app/README.md);
                                   --dev also runs the sync schedule and "sync now" (no systemd)
  lokole migrate                   bring the database schema up to date
  lokole admin create --name NAME  create an admin; the password is asked on a terminal, else read from stdin
  lokole sync [--request SHA256]   sync with the cloud now (or ask for a held-back file in the next sync)
  lokole apply --root DIR [--dry-run] [--config FILE]
                                   render the overlay with the device config into DIR (/ on a device)
`;

/** The `lokole` command: one catch, where errors become messages and exit codes. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, io);
      case 'migrate':
        return await migrate(io);
      case 'sync':
        return await runSync(rest, io);
      case 'apply':
        return await runApply(rest, io);
      case 'admin':
        if (rest[0] === 'create') return await adminCreate(rest.slice(1), io);
        break;
      case undefined:
      case '--help':
      case 'help':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
    }
    io.stderr.write(`lokole: unknown command "${argv.join(' ')}"\n${USAGE}`);
    return EXIT.usage;
  } catch (error) {
    if (error instanceof LokoleError) {
      io.stderr.write(`lokole: ${error.message}\n`);
    } else {
      io.stderr.write(`lokole: unexpected failure (a bug):\n${(error as Error).stack ?? String(error)}\n`);
    }
    return exitCodeFor(error);
  }
}
