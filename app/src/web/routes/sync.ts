import { access } from 'node:fs/promises';
import path from 'node:path';
import { Router, type Request } from 'express';
import { LokoleError } from '@lokole/protocol';
import type { Config } from '../../config.js';
import { listSyncRuns, syncTotals, type SyncRunRow } from '../../db/sync.js';
import { loadDeviceConfig, writeFileAtomically } from '../../device-config/index.js';
import type { Translator } from '../../i18n/index.js';
import { listFullFileRequests, requestFullFile } from '../../sync/index.js';
import type { RouteDeps } from '../app.js';
import { currentUser, flash, requireAdmin, requireUser } from '../middleware.js';

/** Operators bill in MB of 1024 × 1024 bytes. */
const MB = 1024 * 1024;
const DAYS_SHOWN = 14;
const MONTHS_SHOWN = 12;

/** The file lokole-sync.path watches; lokole-sync.service removes it when it starts. */
export function syncRequestFile(config: Config): string {
  return path.join(config.dataDir, 'sync-request');
}

/** Where `lokole sync` keeps its state, "get full file" requests included (src/cli/sync.ts). */
function syncDir(config: Config): string {
  return path.join(config.dataDir, 'sync');
}

/** The attachments asked for and not yet carried by an upload. Unreadable means none: the read view must not fail over it. */
export async function fullFileRequests(config: Config): Promise<ReadonlySet<string>> {
  return new Set(await listFullFileRequests(syncDir(config)).catch(() => []));
}

function outcome({ _ }: Translator, run: SyncRunRow): string {
  if (run.status === 'ok') return _('Done');
  if (run.status === 'failed') return _('Failed');
  return _('Running or interrupted');
}

function durationSeconds(run: SyncRunRow): number | undefined {
  const ms = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : undefined;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** The sync log with totals and cost for admins, "sync now", and "get full file" for readers. */
export function syncRoutes(deps: RouteDeps): Router {
  const { config, db, mail } = deps;
  const router = Router();
  router.use('/admin/sync', requireAdmin);

  router.get('/admin/sync', async (_req, res) => {
    const { t } = res.locals;
    const { _ } = t;
    // Read at each request: the settings page may have changed the price since start.
    const [runs, days, months, device, isRequested] = await Promise.all([
      listSyncRuns(db, 50),
      syncTotals(db, 'day'),
      syncTotals(db, 'month'),
      loadDeviceConfig(path.join(config.dataDir, 'config.json'), { ifMissing: 'defaults' }),
      access(syncRequestFile(config)).then(
        () => true,
        () => false,
      ),
    ]);
    const price = device.pricePerMb;
    const money = new Intl.NumberFormat(String(res.locals.lang), {
      style: 'currency',
      currency: price.currency,
      maximumFractionDigits: 2,
    });
    const cost = (bytes: number) => (price.amount > 0 ? money.format((bytes / MB) * price.amount) : '');
    const totals = (rows: typeof days) => rows.map((row) => ({ ...row, cost: cost(row.billedBytes) }));
    res.set('Cache-Control', 'no-store');
    res.render('admin-sync', {
      title: _('Sync'),
      runs: runs.map((run) => ({
        ...run,
        outcome: outcome(t, run),
        seconds: durationSeconds(run),
        errors: run.steps.filter((step) => step.error),
        linkBytes: run.link?.bytes,
      })),
      days: totals(days.slice(0, DAYS_SHOWN)),
      months: totals(months.slice(0, MONTHS_SHOWN)),
      hasPrice: price.amount > 0,
      pricePerMb: price.amount > 0 ? money.format(price.amount) : '',
      isRequested,
    });
  });

  // Only the request file: lokole-sync.path starts the sync as its own service, never in this process.
  router.post('/admin/sync/now', async (req, res) => {
    const { _ } = res.locals.t;
    await writeFileAtomically(syncRequestFile(config), `${new Date().toISOString()}\n`, 0o640);
    req.log.info({ user: currentUser(res).name }, 'sync requested');
    flash(req, 'ok', _('The sync will start in a moment.'));
    res.redirect(303, '/admin/sync');
  });

  // The same access check as downloading the attachment: only who may see the email may ask.
  router.post('/email/:uid/attachments/:position/full', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const uid = param(req, 'uid');
    const position = Number(param(req, 'position'));
    if (!Number.isInteger(position) || position < 0)
      throw new LokoleError('NOT_FOUND', 'No such attachment.');
    const { attachment } = await mail.attachment(currentUser(res).id, uid, { position });
    if (attachment.deferred) {
      await requestFullFile(syncDir(config), attachment.sha256);
      flash(
        req,
        'ok',
        _('%(name)s: asked for — it arrives with the sync after next.', { name: attachment.filename }),
      );
    }
    res.redirect(303, `/email/${encodeURIComponent(uid)}`);
  });

  return router;
}
