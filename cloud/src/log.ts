import pino, { type Logger } from 'pino';

/** The root logger; components take `log.child({ component })`. Secrets never reach the log. */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'lokole-cloud' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'token',
          '*.token',
          'password',
          '*.password',
          'privateKey',
          '*.privateKey',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
