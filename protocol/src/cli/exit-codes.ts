import { isLokoleError, type ErrorCode } from '../index.js';

/** sysexits(3) values, as style.md fixes them for every Lokole command. */
export const EXIT = {
  ok: 0,
  /** Anything we did not foresee is a bug. */
  software: 1,
  usage: 64,
  dataError: 65,
  noInput: 66,
  unavailable: 69,
  cantCreate: 73,
  tempFail: 75,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// A Record, so that a new error code does not compile until it has an exit code.
const BY_CODE: Record<ErrorCode, ExitCode> = {
  INVALID_INPUT: EXIT.dataError,
  PACKAGE_CORRUPT: EXIT.dataError,
  PACKAGE_TOO_LARGE: EXIT.dataError,
  UNSUPPORTED: EXIT.unavailable,
  NOT_FOUND: EXIT.noInput,
  LINK_DOWN: EXIT.tempFail,
};

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

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommandError) return error.exitCode;
  if (isLokoleError(error)) return BY_CODE[error.code];
  return EXIT.software;
}
