import type { ErrorRequestHandler, RequestHandler } from 'express';
import { LokoleError, httpStatusFor } from '@lokole/protocol';
import { createTranslator } from '../i18n/index.js';
import { errorMessage } from './messages.js';

export const notFound: RequestHandler = (req) => {
  throw new LokoleError('NOT_FOUND', `No route ${req.method} ${req.path}.`, { reason: 'no-route' });
};

/** The one place where errors become responses: LokoleError codes by httpStatusFor, the rest a generic 500. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  let known: LokoleError;
  if (error instanceof LokoleError) {
    known = error;
  } else if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
    known = new LokoleError('FORBIDDEN', 'Missing or wrong CSRF token.', { reason: 'bad-csrf' });
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    known = new LokoleError('TOO_LARGE', 'Form too large.');
  } else {
    req.log.error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    known = new LokoleError('UNAVAILABLE', 'Server error; details are in the server log.');
  }
  const status =
    known.code === 'UNAVAILABLE' && !(error instanceof LokoleError) ? 500 : httpStatusFor(known.code);
  if (status >= 500 && error instanceof LokoleError)
    req.log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
  const t = res.locals.t ?? createTranslator('en');
  res.status(status).render('error', { status, message: errorMessage(t, known) });
};
