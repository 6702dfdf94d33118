import path from 'node:path';
import * as v from 'valibot';
import { LokoleError } from '@lokole/protocol';

/**
 * The cloud's whole configuration, read from environment variables once, at the entry
 * (src/cli), and passed down frozen. Every bad variable is reported at once, by name.
 */
export interface Config {
  readonly dataDir: string;
  /** `sqlite:///abs/path.sqlite3` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly engine: 'sqlite' | 'postgres';
  readonly rootDomain: string;
  /** Domain of the service mailboxes (`echo@bot.lokole.ca`). */
  readonly serviceDomain: string;
  readonly host: string;
  readonly port: number;
  /** 0 picks a free port; -1 turns the SMTP listener off. */
  readonly smtpPort: number;
  readonly smtpHost: string;
  readonly azureConnectionString: string | undefined;
  readonly blobContainer: string;
  readonly mailTransport: 'smtp' | 'sendgrid';
  readonly smtpRelayUrl: string | undefined;
  readonly sendgridApiKey: string | undefined;
  readonly sendgridApiUrl: string;
  readonly cloudflare:
    { readonly apiToken: string; readonly zoneId: string; readonly apiUrl: string } | undefined;
  readonly mxHost: string;
  readonly dkim:
    { readonly domainName: string; readonly keySelector: string; readonly privateKey: string } | undefined;
  readonly maxMessageBytes: number;
  readonly logLevel: string;
  readonly jobConcurrency: number;
  readonly sendMaxAttempts: number;
  readonly retryBaseSeconds: number;
  /** How long an unfinished upload keeps its blocks. */
  readonly uploadTtlSeconds: number;
  readonly cookieSecure: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

const port = (min: number) =>
  v.pipe(
    v.string(),
    v.transform(Number),
    v.integer(`must be a whole number from ${min} to 65535`),
    v.minValue(min, `must be a whole number from ${min} to 65535`),
    v.maxValue(65535, `must be a whole number from ${min} to 65535`),
  );

const positive = v.pipe(
  v.string(),
  v.transform(Number),
  v.integer('must be a positive whole number'),
  v.minValue(1, 'must be a positive whole number'),
);

const domain = v.pipe(
  v.string(),
  v.transform((value) => value.trim().toLowerCase()),
  v.regex(NAME, 'must be a domain name such as lokole.ca'),
);

const url = (schemes: string[]) =>
  v.pipe(
    v.string(),
    v.check(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
    ),
  );

const boolean = v.pipe(
  v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
  v.transform((value) => ['true', '1', 'yes'].includes(value)),
);

const EnvSchema = v.object({
  LOKOLE_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty')), 'data'),
  DATABASE_URL: v.optional(url(['sqlite:', 'postgres:', 'postgresql:'])),
  LOKOLE_ROOT_DOMAIN: v.optional(domain, 'lokole.ca'),
  LOKOLE_SERVICE_DOMAIN: v.optional(domain),
  HOST: v.optional(v.string(), '0.0.0.0'),
  PORT: v.optional(port(0), '8080'),
  SMTP_HOST: v.optional(v.string(), '0.0.0.0'),
  SMTP_PORT: v.optional(
    v.union([v.literal('-1'), port(0)], 'must be a port number (0 for any free port, -1 for off)'),
    '2525',
  ),
  AZURE_STORAGE_CONNECTION_STRING: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (value) => /AccountName=|BlobEndpoint=|^https?:\/\//.test(value),
        'must be an Azure Storage connection string (AccountName=…;AccountKey=…;BlobEndpoint=…)',
      ),
    ),
  ),
  BLOB_CONTAINER: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid container name'),
    ),
    'lokole',
  ),
  MAIL_TRANSPORT: v.optional(v.picklist(['smtp', 'sendgrid'], 'must be smtp or sendgrid'), 'smtp'),
  SMTP_RELAY_URL: v.optional(url(['smtp:', 'smtps:'])),
  SENDGRID_API_KEY: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  SENDGRID_API_URL: v.optional(url(['http:', 'https:']), 'https://api.sendgrid.com'),
  CLOUDFLARE_API_TOKEN: v.optional(v.string()),
  CLOUDFLARE_ZONE_ID: v.optional(v.string()),
  CLOUDFLARE_API_URL: v.optional(url(['http:', 'https:']), 'https://api.cloudflare.com/client/v4'),
  MX_HOST: v.optional(domain),
  DKIM_DOMAIN: v.optional(domain),
  DKIM_SELECTOR: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9_-]+$/i, 'must be a DNS label'))),
  DKIM_PRIVATE_KEY: v.optional(
    v.pipe(v.string(), v.includes('PRIVATE KEY', 'must be a PEM private key (-----BEGIN PRIVATE KEY-----…)')),
  ),
  MAX_MESSAGE_BYTES: v.optional(positive, String(30 * 1024 * 1024)),
  LOG_LEVEL: v.optional(
    v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be a pino level'),
    'info',
  ),
  JOB_CONCURRENCY: v.optional(positive, '4'),
  SEND_MAX_ATTEMPTS: v.optional(positive, '8'),
  RETRY_BASE_SECONDS: v.optional(positive, '30'),
  UPLOAD_TTL_SECONDS: v.optional(positive, '86400'),
  COOKIE_SECURE: v.optional(boolean, 'true'),
});

/** Reads and checks the environment; throws one BAD_CONFIG error that names every bad variable. */
export function loadConfig(env: Env): Config {
  const input = Object.fromEntries(
    Object.keys(EnvSchema.entries)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const result = v.safeParse(EnvSchema, input, { abortPipeEarly: true });
  const problems: string[] = result.success
    ? []
    : [...new Map(result.issues.map((issue) => [String(issue.path?.[0]?.key ?? '?'), issue.message]))].map(
        ([key, message]) => `${key}=${JSON.stringify(input[key])} ${message}`,
      );
  if (!result.success) throw badConfig(problems);
  const e = result.output;

  if (e.MAIL_TRANSPORT === 'sendgrid' && !e.SENDGRID_API_KEY)
    problems.push('SENDGRID_API_KEY is required when MAIL_TRANSPORT=sendgrid');
  if (e.MAIL_TRANSPORT === 'smtp' && !e.SMTP_RELAY_URL)
    problems.push('SMTP_RELAY_URL is required when MAIL_TRANSPORT=smtp (for example smtp://127.0.0.1:1025)');
  const cloudflareKeys = [e.CLOUDFLARE_API_TOKEN, e.CLOUDFLARE_ZONE_ID];
  if (cloudflareKeys.some(Boolean) && !cloudflareKeys.every(Boolean))
    problems.push('CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID must be set together (or neither)');
  const dkimKeys = [e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY];
  if (dkimKeys.some(Boolean) && !dkimKeys.every(Boolean))
    problems.push('DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together (or neither)');
  if (problems.length > 0) throw badConfig(problems);

  const dataDir = path.resolve(e.LOKOLE_DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `sqlite://${path.join(dataDir, 'cloud.sqlite3')}`;
  return Object.freeze({
    dataDir,
    databaseUrl,
    engine: databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres',
    rootDomain: e.LOKOLE_ROOT_DOMAIN,
    serviceDomain: e.LOKOLE_SERVICE_DOMAIN ?? `bot.${e.LOKOLE_ROOT_DOMAIN}`,
    host: e.HOST,
    port: e.PORT,
    smtpHost: e.SMTP_HOST,
    smtpPort: Number(e.SMTP_PORT),
    azureConnectionString: e.AZURE_STORAGE_CONNECTION_STRING,
    blobContainer: e.BLOB_CONTAINER,
    mailTransport: e.MAIL_TRANSPORT,
    smtpRelayUrl: e.SMTP_RELAY_URL,
    sendgridApiKey: e.SENDGRID_API_KEY,
    sendgridApiUrl: e.SENDGRID_API_URL.replace(/\/+$/, ''),
    cloudflare:
      e.CLOUDFLARE_API_TOKEN && e.CLOUDFLARE_ZONE_ID
        ? Object.freeze({
            apiToken: e.CLOUDFLARE_API_TOKEN,
            zoneId: e.CLOUDFLARE_ZONE_ID,
            apiUrl: e.CLOUDFLARE_API_URL.replace(/\/+$/, ''),
          })
        : undefined,
    mxHost: e.MX_HOST ?? `mx.${e.LOKOLE_ROOT_DOMAIN}`,
    dkim:
      e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
        ? Object.freeze({
            domainName: e.DKIM_DOMAIN ?? e.LOKOLE_ROOT_DOMAIN,
            keySelector: e.DKIM_SELECTOR,
            privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
          })
        : undefined,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    logLevel: e.LOG_LEVEL,
    jobConcurrency: e.JOB_CONCURRENCY,
    sendMaxAttempts: e.SEND_MAX_ATTEMPTS,
    retryBaseSeconds: e.RETRY_BASE_SECONDS,
    uploadTtlSeconds: e.UPLOAD_TTL_SECONDS,
    cookieSecure: e.COOKIE_SECURE,
  });
}

function badConfig(problems: string[]): LokoleError {
  return new LokoleError(
    'BAD_CONFIG',
    `The environment has ${problems.length} bad variable${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}. See cloud/README.md.`,
    { reason: 'bad-environment' },
  );
}

/** The blob connection string, for the commands that need one. */
export function requireBlobConnection(config: Config): string {
  if (config.azureConnectionString) return config.azureConnectionString;
  throw new LokoleError(
    'BAD_CONFIG',
    'AZURE_STORAGE_CONNECTION_STRING is not set; set it to your storage account (or to Azurite, which `make start` runs).',
    { reason: 'missing-blob-storage' },
  );
}
