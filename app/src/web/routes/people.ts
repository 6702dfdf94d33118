import { Router } from 'express';
import type { RouteDeps } from '../app.js';
import { requireUser } from '../middleware.js';

/** The directory of the device's users, and the public news page. */
export function peopleRoutes(deps: RouteDeps): Router {
  const { accounts, mail } = deps;
  const router = Router();

  router.get('/users', requireUser, async (_req, res) => {
    const { _ } = res.locals.t;
    const users = (await accounts.listUsers()).filter((user) => !user.isSuspended);
    res.render('users', { title: _('People'), users });
  });

  router.get('/news', async (req, res) => {
    const { _ } = res.locals.t;
    const page = Math.max(1, Number(req.query.page) || 1);
    const listing = await mail.listNews(page);
    res.render('news', { title: _('News'), listing, page });
  });

  router.get('/news/:uid', async (req, res) => {
    const { _ } = res.locals.t;
    const email = await mail.openNews(String(req.params.uid));
    res.render('read', {
      title: email.subject || _('(no subject)'),
      email,
      isRead: true,
      showBcc: false,
      isPublic: true,
      nextSync: undefined,
    });
  });

  return router;
}
