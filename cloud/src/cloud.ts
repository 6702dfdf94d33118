import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createAdminTokens, type AdminTokens } from './auth/index.js';
import { createAzureBlobStore, type AzureBlobStore } from './blob/index.js';
import { requireBlobConnection, type Config } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateLatest } from './db/migrate.js';
import { createDbStore, type CloudStore } from './db/store.js';
import { createDeviceService, type DeviceService } from './devices/index.js';
import { createCloudflareDns } from './dns/cloudflare.js';
import { createEmbeddedQueue } from './jobs/embedded-queue.js';
import type { JobHandler, JobQueue, RetryPolicies } from './jobs/queue.js';
import {
  createInbound,
  createOutbox,
  createServiceMail,
  createServiceMailboxes,
  echoMailbox,
  type Inbound,
  type MailTransport,
  type Outbox,
} from './mail/index.js';
import { createSmtpListener, type SmtpListener } from './smtp/listener.js';
import { createSendgridTransport, createSmtpRelayTransport } from './transports/index.js';
import { createWebApp, type WebApp } from './web/app.js';
import { createSyncStore } from './db/sync-store.js';
import { createSyncService, type SyncService } from './sync/index.js';
import { createPreviewer } from './sync/previews.js';

export const VERSION = '0.1.0';

/** Everything a cloud process is made of, built from the config: the composition root the commands share. */
export interface Cloud {
  readonly config: Config;
  readonly log: Logger;
  readonly knex: Knex;
  readonly queue: JobQueue;
  readonly store: CloudStore;
  readonly blobs: AzureBlobStore;
  readonly devices: DeviceService;
  readonly tokens: AdminTokens;
  readonly inbound: Inbound;
  readonly outbox: Outbox;
  readonly sync: SyncService;
  readonly web: WebApp;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /** Prepares storage: the blob container and the job queue. */
  prepare(): Promise<void>;
  /** Serves HTTP and SMTP; returns the ports. In embedded mode also runs the jobs. */
  serve(): Promise<{ port: number; smtpPort: number | undefined }>;
  /** Runs the jobs (the `worker` command, and `serve` in embedded mode). */
  work(): void;
  close(): Promise<void>;
}

export interface CloudOptions {
  readonly log: Logger;
  readonly now?: () => Date;
  /** Replaces the configured transport (benchmarks). */
  readonly transport?: MailTransport;
  /** Poll interval of idle job workers. */
  readonly pollMs?: number;
}

export async function createCloud(config: Config, options: CloudOptions): Promise<Cloud> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const knex = openDatabase(config);
  const policies: RetryPolicies = (name) =>
    name === 'send-email'
      ? { maxAttempts: config.sendMaxAttempts, retryDelaySeconds: config.retryBaseSeconds }
      : { maxAttempts: 5, retryDelaySeconds: Math.min(config.retryBaseSeconds, 10) };
  const queue =
    config.engine === 'sqlite'
      ? createEmbeddedQueue({ knex, policies, log: log.child({ component: 'jobs' }), pollMs: options.pollMs })
      : // Loaded only for PostgreSQL: pg-boss and pg are memory the embedded mode does not need.
        (await import('./jobs/pg-boss-queue.js')).createPgBossQueue({
          connectionString: config.databaseUrl,
          policies,
          log: log.child({ component: 'jobs' }),
          pollMs: options.pollMs,
        });
  const store = createDbStore(knex, queue);
  const blobs = createAzureBlobStore({
    connectionString: requireBlobConnection(config),
    container: config.blobContainer,
  });
  const mailboxes = createServiceMailboxes(config.serviceDomain, [echoMailbox]);
  const transport =
    options.transport ??
    (config.mailTransport === 'sendgrid'
      ? createSendgridTransport({ apiKey: config.sendgridApiKey!, apiUrl: config.sendgridApiUrl })
      : createSmtpRelayTransport({ url: config.smtpRelayUrl!, dkim: config.dkim }));
  const devices = createDeviceService({
    store,
    rootDomain: config.rootDomain,
    manageDns: config.cloudflare !== undefined,
    now,
  });
  const tokens = createAdminTokens({ store, now });
  const inbound = createInbound({
    store,
    blobs,
    rootDomain: config.rootDomain,
    mailboxes,
    maxMessageBytes: config.maxMessageBytes,
    now,
    log: log.child({ component: 'inbound' }),
  });
  const outbox = createOutbox({
    store,
    blobs,
    transport,
    rootDomain: config.rootDomain,
    mailboxes,
    now,
    log: log.child({ component: 'outbox' }),
  });
  const serviceMail = createServiceMail({
    store,
    outbox,
    mailboxes,
    now,
    log: log.child({ component: 'services' }),
  });
  const sync = createSyncService({
    store: createSyncStore(knex, queue),
    blobs,
    outbox,
    now,
    log: log.child({ component: 'sync' }),
    uploadTtlSeconds: config.uploadTtlSeconds,
    previewer: createPreviewer(),
  });
  const dns = config.cloudflare
    ? createCloudflareDns({ ...config.cloudflare, mxHost: config.mxHost })
    : undefined;

  const handlers: Record<string, JobHandler> = {
    'parse-inbound': async (payload) => {
      await inbound.process(String(payload.id));
    },
    'send-email': async (payload, context) => {
      await outbox.deliver(String(payload.emailId), context);
    },
    'service-mail': async (payload) => {
      await serviceMail.handle(String(payload.emailId), String(payload.address));
    },
    'process-upload': async (payload) => {
      await sync.processUpload(String(payload.id));
    },
    'dns-add-mx': async (payload) => {
      await dns?.addMx(String(payload.domain));
    },
    'dns-remove-mx': async (payload) => {
      await dns?.removeMx(String(payload.domain));
    },
  };

  const web = createWebApp({
    devices,
    tokens,
    inbound,
    sync,
    health: {
      checks: { database: () => store.ping(), blobs: () => blobs.ping() },
      figures: () => store.figures(),
      jobs: () => queue.counts(),
    },
    log,
    maxMessageBytes: config.maxMessageBytes,
    cookieSecure: config.cookieSecure,
    version: VERSION,
  });

  let http: Server | undefined;
  let smtp: SmtpListener | undefined;
  let prepared = false;
  let working = false;

  const cloud: Cloud = {
    config,
    log,
    knex,
    queue,
    store,
    blobs,
    devices,
    tokens,
    inbound,
    outbox,
    sync,
    web,
    handlers,
    async prepare() {
      if (prepared) return;
      if (config.engine === 'sqlite') await migrateLatest(knex);
      await blobs.ensureContainer();
      await queue.start();
      prepared = true;
    },
    async serve() {
      await cloud.prepare();
      http = web.app.listen(config.port, config.host);
      await once(http, 'listening');
      const port = (http.address() as AddressInfo).port;
      let smtpPort: number | undefined;
      if (config.smtpPort >= 0) {
        smtp = createSmtpListener({
          inbound,
          maxMessageBytes: config.maxMessageBytes,
          hostname: config.mxHost,
          log: log.child({ component: 'smtp' }),
        });
        smtpPort = await smtp.listen(config.smtpPort, config.smtpHost);
      }
      if (queue.kind === 'embedded') cloud.work();
      log.info({ port, smtpPort, engine: config.engine }, 'serving');
      return { port, smtpPort };
    },
    work() {
      if (working) return;
      working = true;
      queue.work(handlers, { concurrency: config.jobConcurrency });
    },
    async close() {
      if (http) {
        const server = http;
        http = undefined;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      if (smtp) await smtp.close();
      smtp = undefined;
      await queue.stop();
      transport.close?.();
      await knex.destroy();
    },
  };
  return cloud;
}
