/**
 * One error type for the whole system. `code` is a closed union: the web edge
 * turns it into an HTTP status and the CLI into an exit code, nowhere else.
 */
export type ErrorCode =
  'INVALID_INPUT' | 'NOT_FOUND' | 'PACKAGE_TOO_LARGE' | 'PACKAGE_CORRUPT' | 'UNSUPPORTED' | 'LINK_DOWN';

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
