import path from 'node:path';
import test from 'ava';
import { LokoleError } from '@lokole/protocol';
import { loadConfig, requireBlobConnection } from '../src/config.js';

const MINIMAL = { SMTP_RELAY_URL: 'smtp://127.0.0.1:1025' };

test('defaults: SQLite in the data folder, lokole.ca, ports 8080 and 2525, 30 MB messages, SMTP relay', (t) => {
  const config = loadConfig(MINIMAL);
  t.is(config.engine, 'sqlite');
  t.is(config.databaseUrl, `sqlite://${path.resolve('data', 'cloud.sqlite3')}`);
  t.is(config.rootDomain, 'lokole.ca');
  t.is(config.serviceDomain, 'bot.lokole.ca');
  t.is(config.mxHost, 'mx.lokole.ca');
  t.is(config.port, 8080);
  t.is(config.smtpPort, 2525);
  t.is(config.maxMessageBytes, 30 * 1024 * 1024);
  t.is(config.mailTransport, 'smtp');
  t.is(config.cloudflare, undefined);
  t.is(config.dkim, undefined);
  t.true(Object.isFrozen(config));
});

test('a postgres:// DATABASE_URL selects the PostgreSQL engine', (t) => {
  t.is(loadConfig({ ...MINIMAL, DATABASE_URL: 'postgres://u@db/lokole' }).engine, 'postgres');
});

test('every bad variable is named in one BAD_CONFIG error', (t) => {
  const error = t.throws(
    () =>
      loadConfig({
        PORT: 'eighty',
        LOKOLE_ROOT_DOMAIN: 'not a domain',
        MAIL_TRANSPORT: 'pigeon',
        DATABASE_URL: 'mysql://x',
      }),
    { instanceOf: LokoleError },
  );
  t.is(error?.code, 'BAD_CONFIG');
  for (const name of ['PORT', 'LOKOLE_ROOT_DOMAIN', 'MAIL_TRANSPORT', 'DATABASE_URL'])
    t.regex(error!.message, new RegExp(name));
  t.regex(error!.message, /4 bad variables/);
});

const dependent: Array<[string, Record<string, string>, RegExp]> = [
  ['SendGrid without a key', { MAIL_TRANSPORT: 'sendgrid' }, /SENDGRID_API_KEY is required/],
  ['SMTP without a relay', {}, /SMTP_RELAY_URL is required/],
  [
    'half the Cloudflare credentials',
    { ...MINIMAL, CLOUDFLARE_API_TOKEN: 'x' },
    /CLOUDFLARE_ZONE_ID must be set together/,
  ],
  [
    'a DKIM selector without a key',
    { ...MINIMAL, DKIM_SELECTOR: 's1' },
    /DKIM_PRIVATE_KEY must be set together/,
  ],
  [
    'a DKIM key that is not PEM',
    { ...MINIMAL, DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: 'abc' },
    /DKIM_PRIVATE_KEY/,
  ],
  ['a negative message size', { ...MINIMAL, MAX_MESSAGE_BYTES: '-5' }, /MAX_MESSAGE_BYTES/],
  ['an SMTP port out of range', { ...MINIMAL, SMTP_PORT: '70000' }, /SMTP_PORT/],
];

for (const [what, env, message] of dependent) {
  test(`${what} is refused with a message naming the variable`, (t) => {
    const error = t.throws(() => loadConfig(env), { instanceOf: LokoleError });
    t.is(error?.code, 'BAD_CONFIG');
    t.regex(error!.message, message);
  });
}

test('SMTP_PORT=-1 turns the listener off', (t) => {
  t.is(loadConfig({ ...MINIMAL, SMTP_PORT: '-1' }).smtpPort, -1);
});

test('DKIM keys given with \\n escapes become a PEM with line breaks', (t) => {
  const config = loadConfig({
    ...MINIMAL,
    DKIM_SELECTOR: 's1',
    DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
  });
  t.deepEqual(config.dkim, {
    domainName: 'lokole.ca',
    keySelector: 's1',
    privateKey: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
  });
});

test('a command that needs blob storage says which variable to set', (t) => {
  const error = t.throws(() => requireBlobConnection(loadConfig(MINIMAL)), { instanceOf: LokoleError });
  t.is(error?.code, 'BAD_CONFIG');
  t.regex(error!.message, /AZURE_STORAGE_CONNECTION_STRING/);
});
