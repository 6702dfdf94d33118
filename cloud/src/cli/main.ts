import { EXIT, exitCodeFor, isLokoleError, LokoleError } from '@lokole/protocol';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';
import { workerCommand } from './worker.js';

const USAGE = `Usage: lokole-cloud <command>

  serve                 HTTP API, status page and SMTP listener (and, with SQLite, the jobs)
  worker                run jobs (PostgreSQL mode; any number of workers)
  migrate [--rollback]  bring the database schema (and the pg-boss queues) up to date
  token create --role admin|registrar [--label TEXT]
                        create an admin token; it is printed once

Configuration comes from environment variables; see cloud/README.md.`;

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopped: Promise<void>;
}

function processIo(): Io {
  return {
    env: process.env,
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    stopped: new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
  };
}

/** Runs one command and returns its exit code; the only place errors become exit codes. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  try {
    const config = loadConfig(io.env);
    const log = createLogger({ level: config.logLevel });
    switch (command) {
      case 'serve':
        return await serveCommand(config, log, io);
      case 'worker':
        return await workerCommand(config, log, io);
      case 'migrate':
        return await migrateCommand(config, rest, io);
      case 'token':
        return await tokenCommand(config, rest, io);
      default:
        throw new LokoleError('INVALID_INPUT', `Unknown command "${command}".\n\n${USAGE}`, {
          reason: 'usage',
        });
    }
  } catch (error) {
    if (isLokoleError(error)) {
      io.err(`lokole-cloud: ${error.message}`);
      return error.reason === 'usage' ? EXIT.usage : exitCodeFor(error);
    }
    io.err(
      `lokole-cloud: unexpected error (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.software;
  }
}

/** Runs node's parseArgs, turning its errors into usage errors (exit 64). */
export function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new LokoleError('INVALID_INPUT', `${(error as Error).message}\n\n${USAGE}`, { reason: 'usage' });
  }
}
