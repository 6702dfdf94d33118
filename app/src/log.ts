import { pino, type Logger } from 'pino';

export type { Logger };

/** The root logger; components take `log.child({ component })`. Secrets never reach the log. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'password',
        '*.password',
        '*.newPassword',
        '*._csrf',
      ],
      censor: '[redacted]',
    },
  });
}
