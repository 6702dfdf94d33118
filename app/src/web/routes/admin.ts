import { statfs, stat } from 'node:fs/promises';
import { Router, type Request } from 'express';
import { LokoleError, isLokoleError } from '@lokole/protocol';
import { nextSyncTime } from '../../config.js';
import { attachmentBytesStored, countWaiting, lastSyncRun } from '../../db/index.js';
import type { RouteDeps } from '../app.js';
import { errorMessage } from '../messages.js';
import { currentUser, flash, requireAdmin } from '../middleware.js';

function targetId(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0)
    throw new LokoleError('NOT_FOUND', `No user ${String(req.params.id)}.`);
  return id;
}

const ACTIONS = ['suspend', 'reactivate', 'promote', 'demote'] as const;

/** Users (suspend, reactivate, promote, demote, reset password) and the device status page. */
export function adminRoutes(deps: RouteDeps): Router {
  const { accounts, config, db, now } = deps;
  const router = Router();
  router.use('/admin', requireAdmin);

  router.get('/admin', (_req, res) => res.redirect(303, '/admin/users'));

  router.get('/admin/users', async (_req, res) => {
    const { _ } = res.locals.t;
    res.render('admin-users', { title: _('Users'), users: await accounts.listUsers() });
  });

  for (const action of ACTIONS) {
    router.post(`/admin/users/:id/${action}`, async (req, res) => {
      const { _ } = res.locals.t;
      const { t } = res.locals;
      try {
        await accounts[action](currentUser(res).id, targetId(req));
        flash(req, 'ok', _('Done.'));
      } catch (error) {
        if (!isLokoleError(error, 'FORBIDDEN')) throw error;
        flash(req, 'error', errorMessage(t, error));
      }
      res.redirect(303, '/admin/users');
    });
  }

  // A new password is shown once, on the answer to the POST; the GET only asks for confirmation.
  router.get('/admin/users/:id/reset', async (req, res) => {
    const { _ } = res.locals.t;
    const target = (await accounts.listUsers()).find((user) => user.id === targetId(req));
    if (!target) throw new LokoleError('NOT_FOUND', `No user ${req.params.id}.`);
    res.render('admin-reset', { title: _('Reset password'), target, password: undefined });
  });

  router.post('/admin/users/:id/reset', async (req, res) => {
    const { _ } = res.locals.t;
    const id = targetId(req);
    const target = (await accounts.listUsers()).find((user) => user.id === id);
    if (!target) throw new LokoleError('NOT_FOUND', `No user ${id}.`);
    try {
      const password = await accounts.resetPassword(currentUser(res).id, id);
      res.set('Cache-Control', 'no-store');
      res.render('admin-reset', { title: _('Reset password'), target, password });
    } catch (error) {
      if (!isLokoleError(error, 'FORBIDDEN')) throw error;
      flash(req, 'error', errorMessage(res.locals.t, error));
      res.redirect(303, '/admin/users');
    }
  });

  router.get('/admin/status', async (_req, res) => {
    const { _ } = res.locals.t;
    const [waiting, lastSync, attachmentBytes, database, disk] = await Promise.all([
      countWaiting(db),
      lastSyncRun(db),
      attachmentBytesStored(db),
      stat(config.databaseFile).then(
        (s) => s.size,
        () => 0,
      ),
      statfs(config.dataDir).then(
        (s) => ({ free: s.bavail * s.bsize, total: s.blocks * s.bsize }),
        () => undefined,
      ),
    ]);
    res.render('admin-status', {
      title: _('Device status'),
      domain: config.domain,
      waiting,
      lastSync,
      nextSync: nextSyncTime(config.syncSchedule, now()),
      attachmentBytes,
      databaseBytes: database,
      disk,
      users: (await accounts.listUsers()).length,
    });
  });

  return router;
}
