import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import express, { type Request, type Response } from 'express';
import { httpStatusFor, isLokoleError, LokoleError } from '@lokole/protocol';
import type { AdminTokens, Principal } from '../../auth/index.js';
import type { DeviceService, RegisteredDevice } from '../../devices/index.js';

const VIEWS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');
const COOKIE = 'lokole_admin';

function cookieOf(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The synchronizer token of a session: derived from the admin token, so any process can check it. */
function csrfFor(token: string): string {
  return createHmac('sha256', token).update('lokole-status-csrf').digest('hex');
}

function isCsrfValid(token: string, sent: unknown): boolean {
  const expected = Buffer.from(csrfFor(token));
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The operators' status page: server-rendered, fits a phone, built on the same device service
 * as the admin API. Sign-in with an admin token kept in an HttpOnly, SameSite=Strict cookie;
 * every form carries a synchronizer token.
 */
export function statusRouter(deps: { devices: DeviceService; tokens: AdminTokens; cookieSecure: boolean }) {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '10kb' }));

  async function render(res: Response, view: string, data: Record<string, unknown>, status = 200) {
    const html = await ejs.renderFile(path.join(VIEWS, `${view}.ejs`), { formatBytes, ...data });
    res.status(status).type('html').send(html);
  }

  async function session(req: Request): Promise<{ token: string; principal: Principal } | undefined> {
    const token = cookieOf(req);
    const principal = token ? await deps.tokens.authenticate(token) : undefined;
    return token && principal ? { token, principal } : undefined;
  }

  async function page(
    res: Response,
    current: { token: string; principal: Principal },
    extra: { created?: RegisteredDevice; error?: string; status?: number } = {},
  ) {
    await render(
      res,
      'devices',
      {
        devices: await deps.devices.list(),
        role: current.principal.role,
        csrf: csrfFor(current.token),
        created: extra.created,
        error: extra.error,
      },
      extra.status,
    );
  }

  router.get('/', async (req, res) => {
    const current = await session(req);
    if (!current) return render(res, 'login', { error: undefined });
    return page(res, current);
  });

  router.post('/login', async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (!(await deps.tokens.authenticate(token))) {
      return render(res, 'login', { error: 'That token is not valid.' }, 401);
    }
    res.cookie(COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.cookieSecure,
      path: '/status',
      maxAge: 8 * 3600 * 1000,
    });
    return res.redirect(303, '/status');
  });

  router.post('/logout', async (req, res) => {
    res.clearCookie(COOKIE, { path: '/status' });
    res.redirect(303, '/status');
  });

  async function guarded(
    req: Request,
    res: Response,
    action: (current: { token: string; principal: Principal }) => Promise<void>,
  ) {
    const current = await session(req);
    if (!current) return res.redirect(303, '/status');
    if (!isCsrfValid(current.token, req.body?.csrf)) {
      return render(res, 'login', { error: 'The form expired; sign in again.' }, 403);
    }
    try {
      await action(current);
    } catch (error) {
      if (!isLokoleError(error)) throw error;
      await page(res, current, { error: error.message, status: httpStatusFor(error.code) });
    }
  }

  router.post('/devices', (req, res) =>
    guarded(req, res, async (current) => {
      const created = await deps.devices.register(req.body?.name);
      await page(res, current, { created });
    }),
  );

  router.post('/devices/:id/delete', (req, res) =>
    guarded(req, res, async (current) => {
      if (current.principal.role !== 'admin') {
        throw new LokoleError('FORBIDDEN', 'Only an admin may delete a device.');
      }
      await deps.devices.remove(String(req.params.id));
      res.redirect(303, '/status');
    }),
  );

  return router;
}
