import type { ErrorRequestHandler } from 'express';
import { httpStatusFor, LokoleError } from '@lokole/protocol';

/** The one place errors become HTTP answers (statuses come from protocol's table). */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof LokoleError) {
    res.status(httpStatusFor(error.code)).json({
      error: { code: error.code, message: error.message, ...(error.reason ? { reason: error.reason } : {}) },
    });
    return;
  }
  // body-parser and friends: a client error, not ours.
  const status = (error as { status?: unknown; type?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 413 ? 'TOO_LARGE' : 'INVALID_INPUT';
    res
      .status(status)
      .json({ error: { code, message: `The request could not be read: ${(error as Error).message}` } });
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  res
    .status(500)
    .json({ error: { code: 'INTERNAL', message: 'Server error; details are in the server log.' } });
};

export function notFoundHandler(): never {
  throw new LokoleError('NOT_FOUND', 'No such endpoint; the API is described at /api/openapi.json.', {
    reason: 'no-route',
  });
}
