import { performance } from 'node:perf_hooks';
import { Router, type Request, type Response } from 'express';
import { isLokoleError } from '@lokole/protocol';
import { listSyncRuns } from '../../db/sync.js';
import type { Translator } from '../../i18n/index.js';
import type { Link, LinkSession } from '../../link/index.js';
import type { Finding, ModemDiagnostics, ModemSnapshot, UssdResult } from '../../modem/index.js';
import type { SystemStatus } from '../../system/index.js';
import type { RouteDeps } from '../app.js';
import { requireAdmin } from '../middleware.js';

/** The link and cloud the device config names now: it changes with the admin settings. */
export type DiagnosticsConnection =
  { link: Link; cloudUrl: string } | { unavailable: 'local-only' | 'no-apn' | 'no-cloud' };

export interface DiagnosticsDeps {
  modem: ModemDiagnostics;
  system: SystemStatus;
  connection(): Promise<DiagnosticsConnection>;
  /** The balance code the form starts with. */
  /** The balance code from the device settings, read when the page is shown. */
  ussdCode: () => Promise<string>;
  fetch?: typeof fetch;
  /** The dial, the request and the hang-up together: a modem dial alone may take 90 s. */
  testTimeoutMs?: number;
}

interface TestStep {
  step: 'up' | 'cloud' | 'down';
  ms: number;
  /** Bytes received and sent: the response body for `cloud`, the interface's counters for `down`. */
  bytes: { rx: number; tx: number } | undefined;
  detail: string | undefined;
  error: string | undefined;
}

/** The health answer is a few bytes; a captive portal's page is not read past this. */
const MAX_HEALTH_BYTES = 64 * 1024;
const HEALTH_TIMEOUT_MS = 30_000;

/** The technician's sentence for a finding, in the reader's language; the modem's English otherwise. */
function findingText(t: Translator, finding: Finding, snapshot: ModemSnapshot): string {
  const { _ } = t;
  const dbm = snapshot.signal.ok ? String(snapshot.signal.value.dbm) : '?';
  const operator = snapshot.operator.ok ? snapshot.operator.value.name : undefined;
  switch (finding.code) {
    case 'no-sim':
      return _(
        'No SIM card detected: check that the SIM is inserted the right way up, then unplug and replug the stick.',
      );
    case 'sim-pin':
      return _(
        'The SIM is locked with a PIN: put it in a phone, enter the PIN and turn the PIN request off, then put it back.',
      );
    case 'sim-puk':
      return _(
        'The SIM is blocked (PUK required) after wrong PINs: unblock it in a phone with the PUK from the SIM packaging, or ask the operator.',
      );
    case 'weak-signal':
      return _(
        'The signal is weak (%(dbm)s dBm, 1 bar of 4): a sync may fail or be slow; move the stick higher or near a window, or use a USB extension cable.',
        { dbm },
      );
    case 'no-signal':
      return _(
        'No usable signal (%(dbm)s dBm): move the stick higher or near a window, use a USB extension cable, or try another place.',
        { dbm },
      );
    case 'signal-unknown':
      return _('The modem does not know the signal strength yet: wait a minute and refresh.');
    case 'registration-denied':
      return _(
        'The network refused this SIM: ask the operator whether the SIM is active and has a data plan.',
      );
    case 'searching':
      return _(
        'The modem is still looking for a network: wait a minute and refresh; if it stays so, check coverage here.',
      );
    case 'not-registered':
      return _(
        'The modem is not registered on any network: check the coverage here and that the SIM is active, then unplug and replug the stick.',
      );
    case 'roaming':
      return _(
        "The SIM is roaming on %(operator)s: data may cost roaming rates. That is expected for a Hologram SIM; otherwise check the SIM's operator.",
        { operator: operator ?? '?' },
      );
    case 'dialing':
      return _(
        'A sync is using the modem right now: diagnostics will be available again when it hangs up (usually within a few minutes).',
      );
    default:
      return finding.message;
  }
}

function signalView(t: Translator, snapshot: ModemSnapshot) {
  const { _ } = t;
  const words = {
    unknown: _('unknown'),
    'no-signal': _('no signal'),
    marginal: _('marginal'),
    ok: _('fair'),
    good: _('good'),
    excellent: _('excellent'),
  } as const;
  const states = {
    home: _('home network'),
    roaming: _('roaming'),
    searching: _('searching'),
    denied: _('denied'),
    'not-registered': _('not registered'),
    unknown: _('unknown'),
    'sms-only': _('SMS only'),
    'emergency-only': _('emergency calls only'),
  } as const;
  const { signal, dataRegistration, registration, operator } = snapshot;
  const data = dataRegistration.ok ? dataRegistration : registration;
  return {
    takenAt: snapshot.takenAt,
    bars: signal.ok ? signal.value.bars : 0,
    dbm: signal.ok && signal.value.dbm !== undefined ? `${signal.value.dbm} dBm` : '',
    word: signal.ok ? words[signal.value.label] : signal.message,
    operator: operator.ok ? (operator.value.name ?? _('none')) : operator.message,
    registration: data.ok ? states[data.value.state] : data.message,
    isRoaming: data.ok && data.value.state === 'roaming',
  };
}

async function readBody(response: globalThis.Response): Promise<number> {
  if (!response.body) return 0;
  let bytes = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > MAX_HEALTH_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return bytes;
}

function errorText(error: unknown): string {
  if (isLokoleError(error)) return error.message;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return error.name === 'TimeoutError' ? 'timed out' : `${error.message}${cause}`;
  }
  return String(error);
}

/** Modem, system and last syncs for admins and technicians: one page, readable without JavaScript. */
export function diagnosticsRoutes(deps: RouteDeps): Router {
  const { db } = deps;
  const diagnostics = deps.diagnostics;
  const fetcher = diagnostics.fetch ?? fetch;
  const router = Router();
  router.use('/admin/diagnostics', requireAdmin);

  async function render(
    req: Request,
    res: Response,
    extra: {
      ussd?: { code: string; result?: UssdResult; error?: string };
      test?: { steps: TestStep[]; message: string | undefined; isOk: boolean };
    } = {},
  ): Promise<void> {
    const { t } = res.locals;
    const { _ } = t;
    const [snapshot, system, syncs] = await Promise.all([
      diagnostics.modem.snapshot({ fresh: req.query.fresh !== undefined }),
      diagnostics.system.read(),
      listSyncRuns(db, 5),
    ]);
    const findings = snapshot.findings.map((finding) => ({
      level: finding.level,
      code: finding.code,
      text: findingText(t, finding, snapshot),
    }));
    const worst = findings.find((f) => f.level === 'error') ?? findings.find((f) => f.level === 'warning');
    const summary =
      snapshot.status === 'ok' && !worst
        ? _('The modem is ready to dial.')
        : snapshot.status === 'ok' || snapshot.status === 'attention'
          ? (worst?.text ?? snapshot.summary)
          : snapshot.summary;
    res.set('Cache-Control', 'no-store');
    res.render('diagnostics', {
      title: _('Diagnostics'),
      snapshot,
      summary,
      summaryLevel:
        snapshot.status === 'ok' ? (worst?.level ?? '') : snapshot.status === 'dialing' ? 'warning' : 'error',
      findings: findings.filter((f) => f.text !== summary),
      signal: signalView(t, snapshot),
      system,
      syncs,
      ussdCode: extra.ussd?.code ?? (await diagnostics.ussdCode()),
      ussd: extra.ussd,
      test: extra.test,
    });
  }

  router.get('/admin/diagnostics', async (req, res) => render(req, res));

  // Read by the page's script every few seconds; the snapshot cache keeps the modem from being asked more often.
  router.get('/admin/diagnostics/signal.json', async (_req, res) => {
    const snapshot = await diagnostics.modem.snapshot();
    res.set('Cache-Control', 'no-store');
    const { _ } = res.locals.t;
    const signal = signalView(res.locals.t, snapshot);
    const fullTime = (res.locals as Record<string, unknown>).fullTime as (value: string) => string;
    res.json({
      ...signal,
      barsText: _('%(bars)s of 4', { bars: signal.bars }),
      time: fullTime(signal.takenAt),
    });
  });

  // Served here rather than from /static: only admins load it, and it is the page's own script.
  router.get('/admin/diagnostics/refresh.js', (_req, res) => {
    res.type('js');
    res.render('diagnostics-refresh');
  });

  router.post('/admin/diagnostics/ussd', async (req, res) => {
    const { _ } = res.locals.t;
    const body = req.body as Record<string, unknown>;
    const code =
      typeof body.code === 'string' && body.code.trim() ? body.code.trim() : await diagnostics.ussdCode();
    try {
      const result = await diagnostics.modem.ussd(code);
      await render(req, res, { ussd: { code, result } });
    } catch (error) {
      if (!isLokoleError(error)) throw error;
      const text =
        error.reason === 'bad-ussd-code'
          ? _('"%(code)s" is not a USSD code: it starts with * or # and ends with #, like *123#.', { code })
          : error.message;
      res.status(error.reason === 'bad-ussd-code' ? 400 : 200);
      await render(req, res, { ussd: { code, error: text } });
    }
  });

  router.post('/admin/diagnostics/test-connection', async (req, res) => {
    const { _ } = res.locals.t;
    const steps: TestStep[] = [];
    const step = (name: TestStep['step'], started: number, fields: Partial<TestStep> = {}) =>
      steps.push({
        step: name,
        ms: Math.round(performance.now() - started),
        bytes: undefined,
        detail: undefined,
        error: undefined,
        ...fields,
      });
    let connection: DiagnosticsConnection;
    try {
      connection = await diagnostics.connection();
    } catch (error) {
      if (!isLokoleError(error)) throw error;
      return render(req, res, { test: { steps, message: error.message, isOk: false } });
    }
    if ('unavailable' in connection) {
      const message =
        connection.unavailable === 'local-only'
          ? _(
              'This Lokole is set to local only, so it never connects to the internet: to test the connection, choose a modem or ethernet connection in the settings.',
            )
          : connection.unavailable === 'no-apn'
            ? _(
                'No APN is set for the modem: enter the one from the SIM packaging in the settings, then test again.',
              )
            : _('No cloud address is set: register this Lokole in the setup wizard, then test again.');
      return render(req, res, { test: { steps, message, isOk: false } });
    }
    const { link, cloudUrl } = connection;
    const signal = AbortSignal.timeout(diagnostics.testTimeoutMs ?? 150_000);
    let started = performance.now();
    let session: LinkSession;
    try {
      session = await link.up(signal);
      step('up', started, { detail: session.localAddress });
    } catch (error) {
      step('up', started, { error: errorText(error) });
      return render(req, res, {
        test: { steps, message: _('The connection could not be brought up.'), isOk: false },
      });
    }
    let isOk = false;
    started = performance.now();
    try {
      const url = new URL('/healthcheck/ping', cloudUrl);
      const response = await fetcher(url, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]),
        redirect: 'manual',
      });
      const rx = await readBody(response);
      isOk = response.ok;
      step('cloud', started, {
        bytes: { rx, tx: 0 },
        detail: `${url.href} → HTTP ${response.status}`,
        error: response.ok ? undefined : `HTTP ${response.status}`,
      });
    } catch (error) {
      step('cloud', started, { error: errorText(error) });
    } finally {
      started = performance.now();
      const report = await link.down(session);
      step('down', started, {
        bytes: report.bytes,
        detail: report.warnings.join(' ') || undefined,
      });
    }
    return render(req, res, {
      test: {
        steps,
        isOk,
        message: isOk
          ? _('The cloud answered: this Lokole can sync.')
          : _('The cloud did not answer: see the steps below.'),
      },
    });
  });

  return router;
}
