import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LokoleError } from '@lokole/protocol';
import type { Accounts, User } from '../accounts/index.js';
import {
  LANGUAGES,
  createTranslator,
  pickLanguage,
  type Catalog,
  type Language,
  type Translator,
} from '../i18n/index.js';
import type { Mail } from '../mail/index.js';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    language?: string;
    flash?: { kind: 'ok' | 'error'; text: string };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      user?: User;
      t: Translator;
    }
  }
}

/** Express 5 passes rejected promises to the error handler; this keeps handler types tidy. */
export type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void> | void;

/** `2026-11-02 08:05` (UTC) → a date in the reader's language and the device's time zone. */
function timeFormatter(language: Language) {
  const today = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
  const other = new Intl.DateTimeFormat(language, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const full = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  // A folder page formats 25 dates; Intl's format() was a tenth of the page's CPU. Dates are to
  // the minute, so a small cache per language (cleared when full, or at midnight) answers most.
  const shortCache = new Map<string, string>();
  let cacheDay = '';
  return {
    short(sentAt: string, todayString: string): string {
      if (cacheDay !== todayString || shortCache.size > 5_000) {
        shortCache.clear();
        cacheDay = todayString;
      }
      let text = shortCache.get(sentAt);
      if (text === undefined) {
        const date = new Date(`${sentAt.replace(' ', 'T')}:00Z`);
        if (Number.isNaN(date.getTime())) return sentAt;
        text = (date.toDateString() === todayString ? today : other).format(date);
        shortCache.set(sentAt, text);
      }
      return text;
    },
    full(value: string | Date): string {
      const date =
        typeof value === 'string'
          ? new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}:00Z`)
          : value;
      return Number.isNaN(date.getTime()) ? String(value) : full.format(date);
    },
  };
}

function formatSize(bytes: number, language: Language): string {
  const number = (value: number, digits: number) =>
    value.toLocaleString(language, { maximumFractionDigits: digits });
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024, 0)} KB`;
  if (bytes < 1024 ** 3) return `${number(bytes / 1024 ** 2, 1)} MB`;
  return `${number(bytes / 1024 ** 3, 1)} GB`;
}

/**
 * Per request: the signed-in user (a suspended user is signed out), the
 * language, and the locals every view uses (`_`, `ngettext`, `csrfToken`…).
 */
export function createLocals(deps: {
  accounts: Accounts;
  mail: Mail;
  catalogs: ReadonlyMap<Language, Catalog>;
  now: () => Date;
  generateCsrfToken: (req: Request) => string;
}): RequestHandler {
  const translators = new Map(
    LANGUAGES.map(({ code }) => [code, createTranslator(code, deps.catalogs.get(code))] as const),
  );
  const formatters = new Map(LANGUAGES.map(({ code }) => [code, timeFormatter(code)] as const));
  return async (req, res, next) => {
    let user: User | undefined;
    if (req.session.userId !== undefined) {
      user = await deps.accounts.activeUser(req.session.userId);
      if (!user) delete req.session.userId;
    }
    const language = pickLanguage({
      session: req.session.language,
      user: user?.language,
      acceptLanguage: req.get('accept-language'),
    });
    const t = translators.get(language)!;
    const format = formatters.get(language)!;
    const todayString = deps.now().toDateString();
    res.locals.user = user;
    res.locals.t = t;
    Object.assign(res.locals, {
      _: t._,
      ngettext: t.ngettext,
      lang: language,
      languages: LANGUAGES,
      path: req.path,
      csrfToken: () => deps.generateCsrfToken(req),
      shortTime: (sentAt: string) => format.short(sentAt, todayString),
      fullTime: (value: string | Date) => format.full(value),
      fileSize: (bytes: number) => formatSize(bytes, language),
      unread: user ? await deps.mail.unreadCount(user.id) : 0,
      flash: req.session.flash,
    });
    if (req.session.flash) delete req.session.flash;
    next();
  };
}

export function flash(req: Request, kind: 'ok' | 'error', text: string): void {
  req.session.flash = { kind, text };
}

/** Anonymous (or suspended) callers go to the log-in page, and come back after. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.user) return next();
  const target = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/login${target}`);
};

export const requireAdmin: RequestHandler = (req, res, next) => {
  if (!res.locals.user) return requireUser(req, res, next);
  if (res.locals.user.role !== 'admin') {
    throw new LokoleError('FORBIDDEN', `${res.locals.user.name} is not an admin.`, { reason: 'not-admin' });
  }
  next();
};

/** The signed-in user; only for handlers behind requireUser. */
export function currentUser(res: Response): User {
  const { user } = res.locals;
  if (!user) throw new LokoleError('UNAUTHORIZED', 'Not signed in.');
  return user;
}

/** A local redirect target from `?next=`, never another site. */
export function safeNext(value: unknown, fallback = '/inbox'): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
