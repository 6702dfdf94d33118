import { Router, type Request, type Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { LokoleError, isLokoleError } from '@lokole/protocol';
import { MIN_PASSWORD_LENGTH, normalizeName } from '../../accounts/index.js';
import { isLanguage } from '../../i18n/index.js';
import { escapeHtml } from '../../mail/index.js';
import type { RouteDeps } from '../app.js';
import { errorMessage } from '../messages.js';
import { currentUser, flash, requireUser, safeNext } from '../middleware.js';

export interface RateLimits {
  /** Failed log-ins per IP and name in 15 minutes. */
  logins: number;
  /** Accounts created per IP in an hour. */
  signUps: number;
}

function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Log in, log out, sign up, change password, choose a language. */
export function authRoutes(deps: RouteDeps): Router {
  const { accounts, mail, config } = deps;
  const limits: RateLimits = { logins: 5, signUps: 10, ...deps.rateLimits };
  const router = Router();

  const renderLogin = (
    res: Response,
    status: number,
    values: { name: string; next: string; error?: string },
  ) => {
    const { _ } = res.locals.t;
    res.status(status).render('login', { title: _('Log in'), domain: config.domain, ...values });
  };

  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: limits.logins,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) =>
      `${ipKeyGenerator(req.ip ?? '')}|${normalizeName(field(req, 'name'), config.domain)}`,
    handler: (req, res) => {
      renderLogin(res, 429, {
        name: field(req, 'name'),
        next: safeNext(field(req, 'next')),
        error: errorMessage(res.locals.t, new LokoleError('RATE_LIMITED', 'Too many failed log-ins.')),
      });
    },
  });

  const signUpLimiter = rateLimit({
    windowMs: 60 * 60 * 1000,
    limit: limits.signUps,
    skipFailedRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (req, res) => {
      const { _ } = res.locals.t;
      res.status(429).render('signup', {
        title: _('Create an account'),
        domain: config.domain,
        name: field(req, 'name'),
        minLength: MIN_PASSWORD_LENGTH,
        error: errorMessage(res.locals.t, new LokoleError('RATE_LIMITED', 'Too many sign-ups.')),
      });
    },
  });

  /** A fresh session id at log-in (no fixation), keeping the language chosen before. */
  async function startSession(req: Request, userId: number): Promise<void> {
    const language = req.session.language;
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((error) => (error ? reject(error) : resolve())),
    );
    req.session.userId = userId;
    if (language) req.session.language = language;
  }

  router.get('/', (_req, res) => {
    res.redirect(303, res.locals.user ? '/inbox' : '/login');
  });

  router.get('/login', (req, res) => {
    if (res.locals.user) return res.redirect(303, '/inbox');
    renderLogin(res, 200, { name: '', next: safeNext(req.query.next) });
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const { _ } = res.locals.t;
    const name = field(req, 'name');
    const next = safeNext(field(req, 'next'));
    try {
      const user = await accounts.logIn(name, field(req, 'password'));
      if (!user) {
        return renderLogin(res, 401, { name, next, error: _('Wrong name or password.') });
      }
      await startSession(req, user.id);
      res.redirect(303, next);
    } catch (error) {
      if (!isLokoleError(error, 'FORBIDDEN')) throw error;
      renderLogin(res, 403, { name, next, error: errorMessage(res.locals.t, error) });
    }
  });

  router.post('/logout', (req, res, next) => {
    const language = req.session.language;
    req.session.regenerate((error) => {
      if (error) return next(error);
      if (language) req.session.language = language;
      res.redirect(303, '/login');
    });
  });

  router.get('/signup', (_req, res) => {
    const { _ } = res.locals.t;
    if (res.locals.user) return res.redirect(303, '/inbox');
    res.render('signup', {
      title: _('Create an account'),
      domain: config.domain,
      name: '',
      minLength: MIN_PASSWORD_LENGTH,
    });
  });

  router.post('/signup', signUpLimiter, async (req, res) => {
    const { _ } = res.locals.t;
    const { t } = res.locals;
    const name = field(req, 'name');
    try {
      const user = await accounts.signUp(name, field(req, 'password'), field(req, 'confirm'));
      await accounts.setLanguage(user.id, t.language);
      await mail.deliverNotice(
        user.id,
        user.address,
        _('Welcome to Lokole'),
        [
          `<p>${escapeHtml(_('Welcome, %(name)s!', { name: user.name }))}</p>`,
          `<p>${escapeHtml(_('Your address is %(address)s. Give it to your family and friends.', { address: user.address }))}</p>`,
          `<p>${escapeHtml(_('Mail to other people on this Lokole arrives at once. Mail to the rest of the world leaves and arrives when the Lokole connects to the internet, usually once a day.'))}</p>`,
        ].join('\n'),
      );
      await startSession(req, user.id);
      req.session.language = t.language;
      flash(req, 'ok', _('Your account %(address)s is ready.', { address: user.address }));
      res.redirect(303, '/inbox');
    } catch (error) {
      if (!isLokoleError(error, 'INVALID_INPUT')) throw error;
      res.status(400).render('signup', {
        title: _('Create an account'),
        domain: config.domain,
        name,
        minLength: MIN_PASSWORD_LENGTH,
        error: errorMessage(t, error, { name: normalizeName(name, config.domain) }),
      });
    }
  });

  router.get('/password', requireUser, (_req, res) => {
    const { _ } = res.locals.t;
    res.render('password', { title: _('Change password'), minLength: MIN_PASSWORD_LENGTH });
  });

  router.post('/password', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const { t } = res.locals;
    try {
      await accounts.changePassword(
        currentUser(res).id,
        field(req, 'current'),
        field(req, 'password'),
        field(req, 'confirm'),
      );
      flash(req, 'ok', _('Your password is changed.'));
      res.redirect(303, '/inbox');
    } catch (error) {
      if (!isLokoleError(error, 'INVALID_INPUT')) throw error;
      res.status(400).render('password', {
        title: _('Change password'),
        minLength: MIN_PASSWORD_LENGTH,
        error: errorMessage(t, error),
      });
    }
  });

  router.post('/language', async (req, res) => {
    const language = field(req, 'language');
    if (!isLanguage(language)) {
      throw new LokoleError('INVALID_INPUT', `Unknown language "${language}".`, { reason: 'bad-language' });
    }
    req.session.language = language;
    if (res.locals.user) await accounts.setLanguage(res.locals.user.id, language);
    res.redirect(303, safeNext(field(req, 'next'), res.locals.user ? '/inbox' : '/login'));
  });

  return router;
}
