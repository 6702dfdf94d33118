import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, PHONE, launchChromium } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signUp(browser: Browser, base: string, name: string): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, baseURL: base, acceptDownloads: true, locale: 'en' });
  const page = await context.newPage();
  await page.goto('/signup');
  await page.fill('#name', name);
  await page.fill('#password', 'correct horse');
  await page.fill('#confirm', 'correct horse');
  await page.click('button.primary');
  await page.waitForURL('**/inbox');
  return page;
}

test('on a 360×640 phone: sign up, write, read, reply with an attachment, download, search, switch language', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lokole-e2e-'));
  const { child, base } = await startServer({ LOKOLE_DATA_DIR: dataDir, LOKOLE_DEVICE_NAME: 'kinshasa' });
  const browser = await launchChromium();
  t.teardown(async () => {
    await browser.close();
    child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });
  const errors: string[] = [];

  const ana = await signUp(browser, base, 'ana');
  ana.on('pageerror', (error) => errors.push(error.message));
  t.true(await ana.isVisible('text=Welcome to Lokole'));
  await shot(ana, '01-inbox-after-sign-up');
  const ben = await signUp(browser, base, 'ben');

  // Ana finds Ben in the directory and writes to him with the editor.
  await ana.click('nav >> text=People');
  await shot(ana, '02-people');
  await ana.click('li:has-text("ben@kinshasa.lokole.ca") >> text=Write to');
  t.is(await ana.inputValue('#to'), 'ben@kinshasa.lokole.ca');
  await ana.fill('#subject', 'Mbote Ben');
  await ana.click('.pell-content');
  await ana.keyboard.type('Sango nini? ');
  await ana.click('button[title="Bold"]');
  await ana.keyboard.type('Lobi tokokutana.');
  await shot(ana, '03-compose');
  await ana.click('button.primary');
  await ana.waitForURL('**/sent');
  t.true(await ana.isVisible('text=Email sent.'));

  // Ben reads it: the list row opens the email (a POST that marks it read).
  await ben.goto('/inbox');
  t.is(await ben.textContent('.count'), '2');
  await ben.click('button.row:has-text("Mbote Ben")');
  await ben.waitForURL('**/email/**');
  const frame = ben.frameLocator('iframe.body');
  t.is(await frame.locator('b, strong').first().textContent(), 'Lobi tokokutana.');
  await shot(ben, '04-read');

  // Ben replies with an attachment.
  const reply = ben.locator('a.button.primary');
  await reply.scrollIntoViewIfNeeded();
  await reply.click();
  await ben.waitForURL(/\/compose\?reply=/);
  t.is(await ben.inputValue('#subject'), 'Re: Mbote Ben');
  await ben.click('.pell-content');
  await ben.keyboard.press('Control+Home');
  await ben.keyboard.type('Ee, lobi! ');
  await ben.setInputFiles('#files', {
    name: 'liste.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('Makayabu, loso, madesu'),
  });
  await shot(ben, '05-reply');
  await ben.click('button.primary');
  await ben.waitForURL('**/sent');

  // Ana opens the reply and downloads the attachment.
  await ana.goto('/inbox');
  await ana.click('button.row:has-text("Re: Mbote Ben")');
  await ana.waitForURL('**/email/**');
  t.regex((await ana.frameLocator('iframe.body').locator('body').textContent()) ?? '', /Ee, lobi!/);
  await shot(ana, '06-read-reply');
  const link = ana.locator('a[download]:has-text("liste.txt")');
  await link.scrollIntoViewIfNeeded();
  const [download] = await Promise.all([ana.waitForEvent('download'), link.click()]);
  t.is(download.suggestedFilename(), 'liste.txt');
  t.is(await readFile((await download.path())!, 'utf8'), 'Makayabu, loso, madesu');

  // Search.
  await ana.goto('/search');
  await ana.fill('input[name=q]', 'lobi');
  await ana.click('form.search button');
  await ana.waitForURL('**/search?q=lobi');
  t.true(await ana.isVisible('button.row:has-text("Re: Mbote Ben")'));
  await shot(ana, '07-search');

  // Language: French, kept for the user.
  await ana.click('footer button[value=fr]');
  await ana.waitForLoadState();
  t.true(await ana.isVisible('nav >> text=Boîte de réception'));
  await shot(ana, '08-french');
  await ana.click('footer button[value=ln]');
  await ana.goto('/inbox');
  t.true(await ana.isVisible('nav >> text=Mikanda eyei'));
  await shot(ana, '09-lingala');

  // Nothing is wider than the phone.
  const width = await ana.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
  t.true(width <= 360, `page is ${width} px wide`);
  t.deepEqual(errors, []);
});
