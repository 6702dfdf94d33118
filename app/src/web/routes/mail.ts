import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import { LokoleError } from '@lokole/protocol';
import { nextSyncTime } from '../../config.js';
import { rewriteCidLinks, type Folder, type StoredEmail } from '../../mail/index.js';
import type { Translator } from '../../i18n/index.js';
import type { RouteDeps } from '../app.js';
import { currentUser, flash, requireUser } from '../middleware.js';
import { fullFileRequests } from './sync.js';

/** The sandbox of stack.md §3.4: no scripts, no remote loads, links open outside. */
export const BODY_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'";

function pageNumber(req: Request): number {
  const page = Number(req.query.page);
  return Number.isInteger(page) && page > 0 && page < 100_000 ? page : 1;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The body frame is sandboxed: an opaque origin, so the browser sends it no
 * session cookie (SameSite). Its cid: images therefore carry a key that
 * grants that one image of that one email, and nothing else.
 */
function cidKey(secret: string, uid: string, cid: string): string {
  return createHmac('sha256', secret).update(`cid\0${uid}\0${cid}`).digest('base64url').slice(0, 32);
}

function bodyDocument(email: StoredEmail, secret: string): string {
  const html = rewriteCidLinks(
    email.bodyHtml,
    (cid) =>
      `/email/${encodeURIComponent(email.uid)}/cid/${encodeURIComponent(cid)}?k=${cidKey(secret, email.uid, cid)}`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><base target="_blank"><style>body{font:16px/1.45 sans-serif;margin:8px;color:#111;overflow-wrap:break-word;word-wrap:break-word}img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:3px solid #ccc;color:#444}</style></head><body>${html}</body></html>`;
}

/** Types a browser may show inline for a `cid:` image; anything else is only ever downloaded. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Folders, search, the read view, its sandboxed body and attachments. */
export function mailRoutes(deps: RouteDeps): Router {
  const { mail, config, now } = deps;
  const router = Router();

  const folderTitles = ({ _ }: Translator): Record<Folder, string> => ({
    inbox: _('Inbox'),
    sent: _('Sent'),
    outbox: _('Outbox'),
  });

  for (const folder of ['inbox', 'sent', 'outbox'] as const) {
    router.get(`/${folder}`, requireUser, async (req, res) => {
      const page = pageNumber(req);
      const listing = await mail.listFolder(currentUser(res).id, folder, page);
      res.render('folder', {
        title: folderTitles(res.locals.t)[folder],
        folder,
        listing,
        page,
        query: '',
        nextSync: folder === 'outbox' ? nextSyncTime(config.syncSchedule, now()) : undefined,
      });
    });
  }

  router.get('/search', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const page = pageNumber(req);
    const listing = await mail.search(currentUser(res).id, query, page);
    res.render('folder', { title: _('Search'), folder: 'search', listing, page, query });
  });

  // Opening an email marks it read: a state change, so it is a POST (the list's rows are buttons).
  router.post('/open', requireUser, async (req, res) => {
    const uid = String((req.body as Record<string, unknown>).uid ?? '');
    await mail.setRead(currentUser(res).id, uid, true);
    res.redirect(303, `/email/${encodeURIComponent(uid)}`);
  });

  router.get('/email/:uid', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const user = currentUser(res);
    const opened = await mail.open(user.id, param(req, 'uid'));
    const { email } = opened;
    if (opened.folders.length === 0) return res.redirect(303, `/news/${encodeURIComponent(email.uid)}`);
    res.render('read', {
      title: email.subject || _('(no subject)'),
      email,
      isRead: opened.isRead,
      // bcc stays with the sender.
      showBcc: email.from === user.address,
      isPublic: false,
      requested: email.attachments.some((a) => a.deferred) ? await fullFileRequests(config) : new Set(),
      nextSync: email.deliveryState === 'waiting' ? nextSyncTime(config.syncSchedule, now()) : undefined,
    });
  });

  router.get('/email/:uid/body', async (req, res) => {
    const { email } = await mail.open(res.locals.user?.id, param(req, 'uid'));
    res.set({
      'Content-Security-Policy': BODY_CSP,
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'private, no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.send(bodyDocument(email, deps.sessionSecret));
  });

  router.get('/email/:uid/attachments/:position', async (req, res) => {
    const position = Number(param(req, 'position'));
    if (!Number.isInteger(position) || position < 0)
      throw new LokoleError('NOT_FOUND', 'No such attachment.');
    const { attachment, path } = await mail.attachment(res.locals.user?.id, param(req, 'uid'), { position });
    if (!path) throw new LokoleError('NOT_FOUND', `Attachment ${attachment.sha256} is not on the device.`);
    res.set({
      // No `sandbox` here: Chromium then refuses the download itself.
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=86400',
    });
    res.attachment(attachment.filename);
    res.type(attachment.type || 'application/octet-stream');
    res.sendFile(path, { dotfiles: 'allow' });
  });

  router.get('/email/:uid/cid/:cid', async (req, res) => {
    const uid = param(req, 'uid');
    const cid = param(req, 'cid');
    const key = typeof req.query.k === 'string' ? req.query.k : '';
    const expected = cidKey(deps.sessionSecret, uid, cid);
    const hasKey = key.length === expected.length && timingSafeEqual(Buffer.from(key), Buffer.from(expected));
    const { attachment, path } = hasKey
      ? await mail.inlineImage(uid, cid)
      : await mail.attachment(res.locals.user?.id, uid, { cid });
    if (!path || !INLINE_IMAGES.has(attachment.type)) throw new LokoleError('NOT_FOUND', 'No inline image.');
    res.set({
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': 'inline',
      // The sandboxed body frame has an opaque origin: to it this route is cross-origin.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'private, max-age=86400',
    });
    res.type(attachment.type);
    res.sendFile(path, { dotfiles: 'allow' });
  });

  router.post('/email/:uid/unread', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    await mail.setRead(currentUser(res).id, param(req, 'uid'), false);
    flash(req, 'ok', _('Marked as unread.'));
    res.redirect(303, '/inbox');
  });

  router.post('/email/:uid/delete', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    await mail.deleteForUser(currentUser(res).id, param(req, 'uid'));
    flash(req, 'ok', _('Email deleted.'));
    res.redirect(303, '/inbox');
  });

  return router;
}
