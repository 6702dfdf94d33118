import * as v from 'valibot';
import type { CloudFigures } from '../../db/store.js';
import type { QueueCounts } from '../../jobs/queue.js';
import { defineRoute, type AnyRoute } from '../api.js';

export interface HealthDeps {
  /** Each dependency the service needs to answer (database, blob storage); throws when down. */
  readonly checks: Readonly<Record<string, () => Promise<void>>>;
  readonly figures: () => Promise<CloudFigures>;
  readonly jobs: () => Promise<QueueCounts>;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text format 0.0.4. */
export function renderMetrics(figures: CloudFigures, jobs: QueueCounts): string {
  const lines: string[] = [];
  const metric = (
    name: string,
    help: string,
    type: 'gauge' | 'counter',
    samples: Array<[string, number]>,
  ) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  const labelled = (label: string, values: Readonly<Record<string, number>>): Array<[string, number]> =>
    Object.entries(values).map(([key, value]) => [`{${label}="${escapeLabel(key)}"}`, value]);
  metric('lokole_devices', 'Registered devices.', 'gauge', [['', figures.devices]]);
  metric('lokole_emails_stored', 'Emails stored in the cloud.', 'gauge', [['', figures.emails]]);
  metric('lokole_pending_emails_total', 'Emails waiting for a device to acknowledge them.', 'gauge', [
    ['', figures.pendingEmails],
  ]);
  metric(
    'lokole_device_pending_emails',
    'Emails waiting for one device.',
    'gauge',
    figures.pendingByDevice.map((d) => [`{device="${escapeLabel(d.name)}"}`, d.pending]),
  );
  metric(
    'lokole_inbound_messages',
    'Messages received from the internet, by state.',
    'gauge',
    labelled('state', figures.inbound),
  );
  metric(
    'lokole_outbound_messages',
    'Emails to send to the internet, by state.',
    'gauge',
    labelled('state', figures.outbound),
  );
  metric(
    'lokole_delivery_reports',
    'Delivery reports, by status.',
    'gauge',
    labelled('status', figures.reports),
  );
  metric('lokole_jobs', 'Jobs in the queue, by state.', 'gauge', [
    ['{state="queued"}', jobs.queued],
    ['{state="failed"}', jobs.failed],
  ]);
  metric('process_resident_memory_bytes', 'Resident memory of this process.', 'gauge', [
    ['', process.memoryUsage.rss()],
  ]);
  return `${lines.join('\n')}\n`;
}

export function healthRoutes(deps: HealthDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthcheck/ping',
      operationId: 'ping',
      summary: 'Liveness, as the original cloud answered it',
      tag: 'health',
      access: 'public',
      responses: { 200: { description: 'OK', contentType: 'text/plain' } },
      handle: async ({ res }) => {
        res.type('text/plain').send('OK');
      },
    }),
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'healthz',
      summary: 'Liveness: the process answers',
      tag: 'health',
      access: 'public',
      responses: { 200: { description: 'Alive', schema: v.object({ status: v.literal('ok') }) } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'readyz',
      summary: 'Readiness: the database and blob storage answer',
      tag: 'health',
      access: 'public',
      responses: {
        200: {
          description: 'Ready',
          schema: v.object({ status: v.string(), checks: v.record(v.string(), v.string()) }),
        },
        503: { description: 'A dependency is down; `checks` says which' },
      },
      handle: async () => {
        const checks: Record<string, string> = {};
        await Promise.all(
          Object.entries(deps.checks).map(async ([name, check]) => {
            try {
              await check();
              checks[name] = 'ok';
            } catch (error) {
              checks[name] = error instanceof Error ? error.message.slice(0, 200) : 'failed';
            }
          }),
        );
        const ready = Object.values(checks).every((value) => value === 'ok');
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Figures in the Prometheus text format',
      tag: 'health',
      access: 'public',
      responses: { 200: { description: 'Metrics', contentType: 'text/plain; version=0.0.4' } },
      handle: async ({ res }) => {
        const text = renderMetrics(await deps.figures(), await deps.jobs());
        res.type('text/plain; version=0.0.4').send(text);
      },
    }),
  ];
}
