import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import * as v from 'valibot';
import type { AdminTokens } from '../auth/index.js';
import type { DeviceService } from '../devices/index.js';
import type { Inbound } from '../mail/index.js';
import { defineRoute, expressPath, openApiDocument, validate, type AnyRoute } from './api.js';
import { bearerToken, requireDevice, requireRole } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { deviceRoutes } from './routes/devices.js';
import { healthRoutes, type HealthDeps } from './routes/health.js';
import { sendgridRoutes } from './routes/sendgrid.js';
import { syncRoutes } from './routes/sync.js';
import type { SyncService } from '../sync/index.js';
import { statusRouter } from './status/router.js';

export interface WebDeps {
  readonly devices: DeviceService;
  readonly tokens: AdminTokens;
  readonly inbound: Inbound;
  readonly sync: SyncService;
  readonly health: HealthDeps;
  readonly log: Logger;
  readonly maxMessageBytes: number;
  readonly cookieSecure: boolean;
  readonly version: string;
}

export interface WebApp {
  readonly app: Express;
  readonly routes: readonly AnyRoute[];
  readonly document: Record<string, unknown>;
}

function register(app: Express, route: AnyRoute, tokens: AdminTokens, devices: DeviceService): void {
  app[route.method](expressPath(route.path), async (req: Request, res: Response) => {
    const device = route.access === 'device' ? await requireDevice(devices, bearerToken(req)) : undefined;
    const principal =
      route.access === 'public' || route.access === 'device'
        ? undefined
        : await requireRole(tokens, bearerToken(req), route.access);
    const params = route.params ? validate(route.params, req.params, 'path parameter') : req.params;
    const body = route.body ? validate(route.body, req.body ?? {}, 'body') : undefined;
    const result = await route.handle({ params, body, principal, device, req, res });
    if (!result) return;
    if (result.body === undefined) res.status(result.status).end();
    else res.status(result.status).json(result.body);
  });
}

function swaggerUi(): express.Router {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const router = express.Router();
  // Our initializer instead of the petstore one; the rest is swagger-ui-dist's own files, no CDN.
  const initializer = `window.onload = function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
};
`;
  const index = readFileSync(path.join(root, 'index.html'), 'utf8').replace(
    '<title>Swagger UI</title>',
    '<title>Lokole cloud API</title>',
  );
  router.get('/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(initializer);
  });
  router.get(['/', '/index.html'], (_req, res) => {
    res.type('html').send(index);
  });
  router.use(express.static(root, { index: false }));
  return router;
}

export function createWebApp(deps: WebDeps): WebApp {
  const routes: AnyRoute[] = [
    ...deviceRoutes(deps.devices),
    ...sendgridRoutes({
      devices: deps.devices,
      inbound: deps.inbound,
      maxMessageBytes: deps.maxMessageBytes,
    }),
    ...syncRoutes(deps.sync),
    ...healthRoutes(deps.health),
  ];
  const documentRoute = defineRoute({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tag: 'docs',
    access: 'public',
    responses: {
      200: { description: 'The OpenAPI 3.1 document', schema: v.record(v.string(), v.unknown()) },
    },
    handle: async () => ({ status: 200, body: document }),
  });
  routes.push(documentRoute);
  const document = openApiDocument(routes, { version: deps.version });

  const app = express();
  app.disable('x-powered-by');
  // Hashing every answer for an ETag costs more than it saves here (lists change with each mail).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.log.child({ component: 'web' }),
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(express.json({ limit: '100kb' }));
  for (const route of routes) register(app, route, deps.tokens, deps.devices);
  app.use('/ui', swaggerUi());
  app.use(
    '/status',
    statusRouter({ devices: deps.devices, tokens: deps.tokens, cookieSecure: deps.cookieSecure }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, routes, document };
}
