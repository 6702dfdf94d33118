import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { execa } from 'execa';
import { startFakeModemPty, type FakeModemPty } from '../../../scripts/fake-modem/pty-server.js';
import type { FakeModemState } from '../../../scripts/fake-modem/responder.js';
import { PHONE, launchChromium } from '../helpers/browser.js';
import { LOKOLE, startServer } from '../helpers/server.js';
import { requireTools } from '../modem/system-tools.js';

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.resolve(APP, '../test-artifacts/diagnostics');

/** The sentence or value a technician should see first, per scripted state. */
const EXPECTED: Array<[FakeModemState, RegExp]> = [
  ['healthy', /The modem is ready to dial\./],
  ['no-sim', /No SIM card detected: check that the SIM is inserted the right way up/],
  ['pin-locked', /The SIM is locked with a PIN/],
  ['weak-signal', /The signal is weak \(-105 dBm, 1 bar of 4\)/],
  ['roaming', /The SIM is roaming on Airtel CD/],
  ['not-registered', /The modem is not registered on any network/],
  ['ussd-gsm7', /Solde: 1250 FC\. Valable 30 jours/],
  ['ussd-ucs2', /Crédit: 3,50\$ ✓/],
  ['slow', /The modem is ready to dial\./],
  ['no-reply', /did not answer|does not answer/],
  ['garbage', /sends data but no AT answers|does not answer|did not answer/],
];

test('on a 360×640 phone the diagnostics page shows each scripted modem state with its sentence', async (t) => {
  if (!(await requireTools(t, ['socat']))) return;
  const dir = await mkdtemp(path.join(tmpdir(), 'lokole-diag-e2e-'));
  const link = path.join(dir, 'ttyLokole');
  const env = { LOKOLE_DATA_DIR: dir, LOKOLE_DEVICE_NAME: 'kinshasa', LOKOLE_MODEM_PORT: link };
  await execa(process.execPath, [LOKOLE, 'migrate'], { env });
  await execa(process.execPath, [LOKOLE, 'admin', 'create', '--name', 'boss'], {
    env,
    input: 'correct horse\n',
  });
  const { child, base } = await startServer(env);
  const browser = await launchChromium();
  let pty: FakeModemPty | undefined;
  t.teardown(async () => {
    await pty?.stop();
    await browser.close();
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });
  await mkdir(SHOTS, { recursive: true });

  const context = await browser.newContext({ ...PHONE, baseURL: base, locale: 'en' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/login');
  await page.fill('#name', 'boss');
  await page.fill('#password', 'correct horse');
  await page.click('button.primary');
  await page.waitForURL('**/inbox');

  // One server; the fake modem restarts on the same path for each state, and ?fresh=1 skips the cache.
  for (const [state, expected] of EXPECTED) {
    await pty?.stop();
    pty = await startFakeModemPty({ state, link, slowMs: 150 });
    // On a loaded test machine an AT command can outlast its timeout; a technician would press
    // refresh, so the page gets up to three reads before the state counts as failed.
    let text = '';
    for (let attempt = 0; attempt < 3 && !expected.test(text); attempt += 1) {
      await page.goto('/admin/diagnostics?fresh=1');
      if (state.startsWith('ussd-')) {
        await page.click('#ussd button.primary');
        await page.waitForSelector('#ussd-result');
      }
      text = (await page.textContent('main')) ?? '';
    }
    t.regex(text, expected, state);
    await page.screenshot({ path: path.join(SHOTS, `${state}.png`), fullPage: true });
  }

  // The signal panel refreshes itself while the page is open: the stick comes back with a weak signal.
  await pty?.stop();
  pty = await startFakeModemPty({ state: 'weak-signal', link });
  await page.waitForSelector('#signal-dbm:text-is("-105 dBm")', { timeout: 20_000 });
  t.is(await page.textContent('#signal-bars'), '1 of 4');
  t.deepEqual(errors, []);
});
