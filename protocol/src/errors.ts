/**
 * One error type for the whole system. `code` is a closed union; the tables
 * below are the one place where codes become HTTP statuses and exit codes.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_LARGE'
  | 'RATE_LIMITED'
  | 'PACKAGE_TOO_LARGE'
  | 'PACKAGE_CORRUPT'
  | 'UNSUPPORTED'
  | 'LINK_DOWN'
  | 'UNAVAILABLE'
  | 'BAD_CONFIG';

export interface LokoleErrorOptions extends ErrorOptions {
  /** A literal that says which check failed, for machines and tests (`line-too-long`, `hash-mismatch`). */
  reason?: string;
}

export class LokoleError extends Error {
  readonly reason: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: LokoleErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LokoleError';
    this.reason = options.reason;
  }
}

export function isLokoleError(error: unknown, code?: ErrorCode): error is LokoleError {
  return error instanceof LokoleError && (code === undefined || error.code === code);
}

/** sysexits(3), as every Lokole command uses them. */
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
  noPermission: 77,
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// Records, so that a new code does not compile until it has a status and an exit code.
const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  PACKAGE_TOO_LARGE: 413,
  PACKAGE_CORRUPT: 422,
  UNSUPPORTED: 415,
  LINK_DOWN: 503,
  UNAVAILABLE: 503,
  BAD_CONFIG: 500,
};

const EXIT_CODE: Record<ErrorCode, ExitCode> = {
  INVALID_INPUT: EXIT.dataError,
  UNAUTHORIZED: EXIT.noPermission,
  FORBIDDEN: EXIT.noPermission,
  NOT_FOUND: EXIT.noInput,
  CONFLICT: EXIT.dataError,
  TOO_LARGE: EXIT.dataError,
  RATE_LIMITED: EXIT.tempFail,
  PACKAGE_TOO_LARGE: EXIT.dataError,
  PACKAGE_CORRUPT: EXIT.dataError,
  UNSUPPORTED: EXIT.unavailable,
  LINK_DOWN: EXIT.tempFail,
  UNAVAILABLE: EXIT.tempFail,
  BAD_CONFIG: EXIT.config,
};

/** The HTTP status a web edge answers with for this code. */
export function httpStatusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The exit code a command ends with: 1 (a bug) for anything that is not a LokoleError. */
export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof LokoleError ? EXIT_CODE[error.code] : EXIT.software;
}
