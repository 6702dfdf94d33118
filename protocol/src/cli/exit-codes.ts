import { EXIT, exitCodeFor, type ExitCode } from '../errors.js';

export { EXIT, type ExitCode };

/**
 * A failure of the command line rather than of the data: a bad option, an
 * input file that is not there, an output that cannot be created.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function commandExitCode(error: unknown): ExitCode {
  return error instanceof CommandError ? error.exitCode : exitCodeFor(error);
}
