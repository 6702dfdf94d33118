import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import * as v from 'valibot';
import { LokoleError } from '@lokole/protocol';
import { APP_DIR } from './paths.js';

/** Everything the device reads from its environment, checked once and frozen. */
export interface Config {
  isProduction: boolean;
  dataDir: string;
  /** `<dataDir>/lokole.sqlite3` */
  databaseFile: string;
  /** `<dataDir>/attachments`, content-addressed files `ab/cdef…` */
  attachmentsDir: string;
  deviceName: string;
  rootDomain: string;
  /** `<device name>.<root domain>`: the part after the @ of every local address. */
  domain: string;
  port: number;
  /** Senders whose mail to news@ appears on the public news page. */
  newsSenders: readonly string[];
  maxUploadBytes: number;
  /** A cron expression in the device's local time. */
  syncSchedule: string;
  logLevel: string;
  /** Given by LOKOLE_SESSION_SECRET, or generated once into the data dir. */
  sessionSecret: string | undefined;
  /** A fixed AT port for diagnostics (the fake modem's pty in development); undefined: found in sysfs. */
  modemPort: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1)));

function integer(name: string, min: number, max: number) {
  return v.pipe(
    v.string(),
    v.regex(/^\d+$/, `${name} must be a whole number`),
    v.transform(Number),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );
}

const EnvSchema = v.object({
  NODE_ENV: v.optional(v.string()),
  LOKOLE_DATA_DIR: optionalText,
  LOKOLE_DEVICE_NAME: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.regex(
        DNS_LABEL,
        'LOKOLE_DEVICE_NAME must be letters, digits and dashes (a DNS label), like "kinshasa"',
      ),
    ),
  ),
  LOKOLE_ROOT_DOMAIN: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.regex(DOMAIN, 'LOKOLE_ROOT_DOMAIN must be a domain name, like "lokole.ca"'),
    ),
    'lokole.ca',
  ),
  PORT: v.optional(integer('PORT', 0, 65535)),
  LOKOLE_NEWS_SENDERS: v.optional(
    v.pipe(
      v.string(),
      v.transform((value) =>
        value
          .split(',')
          .map((item) => item.trim().toLowerCase())
          .filter(Boolean),
      ),
      v.check(
        (list) => list.every((item) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(item)),
        'LOKOLE_NEWS_SENDERS must be a comma-separated list of email addresses',
      ),
    ),
    '',
  ),
  LOKOLE_MAX_UPLOAD_MB: v.optional(integer('LOKOLE_MAX_UPLOAD_MB', 1, 1024), '25'),
  LOKOLE_SYNC_SCHEDULE: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check(
        (value) => cronError(value) === undefined,
        (issue) => `LOKOLE_SYNC_SCHEDULE ${cronError(String(issue.input))}`,
      ),
    ),
    '0 2 * * *',
  ),
  LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`), 'info'),
  LOKOLE_MODEM_PORT: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^\/\S+$/, 'LOKOLE_MODEM_PORT must be an absolute device path, like /dev/ttyUSB2'),
    ),
  ),
  LOKOLE_SESSION_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'LOKOLE_SESSION_SECRET must be at least 32 characters')),
  ),
});

function cronError(expression: string): string | undefined {
  if (expression.split(/\s+/).length !== 5) {
    return `"${expression}" is not a cron schedule: expected five fields (minute hour day month weekday), like "0 2 * * *"`;
  }
  try {
    CronExpressionParser.parse(expression);
    return undefined;
  } catch (error) {
    return `"${expression}" is not a valid cron schedule: ${(error as Error).message}`;
  }
}

/**
 * Reads the configuration from `env` (the CLI passes process.env). Every bad
 * variable is named in one BAD_CONFIG error.
 */
export function loadConfig(env: Env): Config {
  const result = v.safeParse(EnvSchema, env);
  if (!result.success) {
    const problems = result.issues.map((issue) => issue.message);
    throw new LokoleError('BAD_CONFIG', `Bad configuration: ${problems.join('; ')}.`, { reason: 'bad-env' });
  }
  const values = result.output;
  const isProduction = values.NODE_ENV === 'production';
  if (isProduction && !values.LOKOLE_DEVICE_NAME) {
    throw new LokoleError('BAD_CONFIG', 'Bad configuration: LOKOLE_DEVICE_NAME is required in production.', {
      reason: 'bad-env',
    });
  }
  const dataDir = path.resolve(
    values.LOKOLE_DATA_DIR ?? (isProduction ? '/var/lib/lokole' : path.join(APP_DIR, 'data')),
  );
  const deviceName = values.LOKOLE_DEVICE_NAME ?? 'dev';
  return Object.freeze({
    isProduction,
    dataDir,
    databaseFile: path.join(dataDir, 'lokole.sqlite3'),
    attachmentsDir: path.join(dataDir, 'attachments'),
    deviceName,
    rootDomain: values.LOKOLE_ROOT_DOMAIN,
    domain: `${deviceName}.${values.LOKOLE_ROOT_DOMAIN}`,
    port: values.PORT ?? (isProduction ? 80 : 8080),
    newsSenders: Object.freeze(values.LOKOLE_NEWS_SENDERS),
    maxUploadBytes: values.LOKOLE_MAX_UPLOAD_MB * 1024 * 1024,
    syncSchedule: values.LOKOLE_SYNC_SCHEDULE,
    logLevel: values.LOG_LEVEL,
    sessionSecret: values.LOKOLE_SESSION_SECRET,
    modemPort: values.LOKOLE_MODEM_PORT,
  });
}

/** When the next sync runs after `now`, by the schedule. */
export function nextSyncTime(schedule: string, now: Date): Date {
  return CronExpressionParser.parse(schedule, { currentDate: now }).next().toDate();
}
