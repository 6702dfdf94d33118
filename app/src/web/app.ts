import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import session, { type Store } from 'express-session';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Accounts } from '../accounts/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Catalog, Language } from '../i18n/index.js';
import type { Logger } from '../log.js';
import type { AttachmentFiles, Mail } from '../mail/index.js';
import { errorHandler, notFound } from './errors.js';
import { createLocals } from './middleware.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes, type RateLimits } from './routes/auth.js';
import { composeRoutes } from './routes/compose.js';
import { diagnosticsRoutes, type DiagnosticsDeps } from './routes/diagnostics.js';
import { mailRoutes } from './routes/mail.js';
import { peopleRoutes } from './routes/people.js';
import { syncRoutes } from './routes/sync.js';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface WebAppDeps {
  config: Config;
  db: Db;
  log: Logger;
  accounts: Accounts;
  mail: Mail;
  files: AttachmentFiles;
  catalogs: ReadonlyMap<Language, Catalog>;
  sessionSecret: string;
  sessionStore: Store;
  now?: () => Date;
  rateLimits?: Partial<RateLimits>;
  diagnostics: DiagnosticsDeps;
}

/** The webmail as an Express app; it neither listens nor opens the database (src/cli/serve.ts does). */
export function createWebApp(deps: WebAppDeps): Express {
  const now = deps.now ?? (() => new Date());
  const app = express();
  app.set('views', path.join(WEB_DIR, 'views'));
  app.set('view engine', 'ejs');
  app.set('view cache', true);
  app.set('x-powered-by', false);

  app.use(
    pinoHttp({
      logger: deps.log,
      // req.log carries only the request id; the full request is serialised for the
      // completion line alone (at info), not on every request whatever the level.
      quietReqLogger: true,
      autoLogging: { ignore: (req) => req.url?.startsWith('/static/') ?? false },
    }),
  );
  app.use(
    helmet({
      // The hotspot is plain HTTP: no HSTS, no upgrade of requests to https.
      hsts: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          frameSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // pell is served from its package, license included; it loads on the compose page only.
  app.use(
    '/static/vendor',
    express.static(path.dirname(require.resolve('pell/dist/pell.min.js')), {
      maxAge: deps.config.isProduction ? '7d' : 0,
      index: false,
    }),
  );
  app.use(
    '/static',
    express.static(path.join(WEB_DIR, 'public'), {
      maxAge: deps.config.isProduction ? '7d' : 0,
      index: false,
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(
    session({
      name: 'lokole.sid',
      secret: deps.sessionSecret,
      store: deps.sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false, maxAge: 30 * 24 * 3600 * 1000 },
    }),
  );
  const csrf = csrfSync({
    // Multipart forms (compose) carry the token in their action URL, so it is checked before the upload is read.
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const token = body?._csrf ?? req.query._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });
  app.use(
    createLocals({
      accounts: deps.accounts,
      mail: deps.mail,
      catalogs: deps.catalogs,
      now,
      generateCsrfToken: (req) => csrf.generateToken(req),
    }),
  );

  app.use(csrf.csrfSynchronisedProtection);

  const routeDeps = { ...deps, now };
  app.use(authRoutes(routeDeps));
  app.use(mailRoutes(routeDeps));
  app.use(composeRoutes(routeDeps));
  app.use(peopleRoutes(routeDeps));
  app.use(adminRoutes(routeDeps));
  app.use(diagnosticsRoutes(routeDeps));
  app.use(syncRoutes(routeDeps));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

export type RouteDeps = WebAppDeps & { now: () => Date };
