import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import nodemailer from 'nodemailer';
import { createCloud, type Cloud } from '../../src/cloud.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { RunningAzurite } from '../../src/dev/azurite.js';

export interface TestCloud {
  readonly cloud: Cloud;
  readonly url: string;
  readonly port: number;
  readonly smtpPort: number;
  readonly admin: string;
  readonly registrar: string;
  readonly dataDir: string;
}

/**
 * A whole embedded cloud (SQLite in a temp folder, a fresh container in Azurite, HTTP and SMTP
 * on free ports, jobs in-process), torn down with the test.
 */
export async function startTestCloud(
  t: ExecutionContext,
  azurite: RunningAzurite,
  env: Record<string, string> = {},
  options: { now?: () => Date } = {},
): Promise<TestCloud> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lokole-cloud-test-'));
  const config = loadConfig({
    LOKOLE_DATA_DIR: dataDir,
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    BLOB_CONTAINER: `t${randomBytes(6).toString('hex')}`,
    SMTP_RELAY_URL: 'smtp://127.0.0.1:9',
    HOST: '127.0.0.1',
    PORT: '0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    RETRY_BASE_SECONDS: '1',
    ...env,
  });
  const cloud = await createCloud(config, {
    log: createLogger({ level: config.logLevel }),
    pollMs: 50,
    ...options,
  });
  t.teardown(async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const { port, smtpPort } = await cloud.serve();
  const admin = (await cloud.tokens.create('admin', 'test')).token;
  const registrar = (await cloud.tokens.create('registrar', 'test')).token;
  return {
    cloud,
    url: `http://127.0.0.1:${port}`,
    port,
    smtpPort: smtpPort ?? -1,
    admin,
    registrar,
    dataDir,
  };
}

/** Sends a raw message to an SMTP server with nodemailer's real client. */
export async function sendRaw(
  port: number,
  envelope: { from: string; to: string[] },
  raw: string | Buffer,
): Promise<{ response: string }> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return (await transport.sendMail({ envelope, raw })) as { response: string };
  } finally {
    transport.close();
  }
}

/** A small valid message. */
export function simpleMessage(fields: {
  from?: string;
  to: string;
  subject?: string;
  body?: string;
  date?: string;
}): string {
  return [
    `From: ${fields.from ?? 'Ana <ana@example.org>'}`,
    `To: ${fields.to}`,
    `Subject: ${fields.subject ?? 'Hello'}`,
    ...(fields.date === '' ? [] : [`Date: ${fields.date ?? 'Tue, 1 Dec 2026 10:20:30 +0000'}`]),
    'Message-ID: <m1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    fields.body ?? 'Hello from the internet.',
    '',
  ].join('\r\n');
}
