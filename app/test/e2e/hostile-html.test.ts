import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import test from 'ava';
import { createMailStore } from '../../src/db/index.js';
import { ARTIFACTS, PHONE, launchChromium } from '../helpers/browser.js';
import { makePng } from '../helpers/fixtures.js';
import { createTestDevice } from '../helpers/web.js';

/** Payloads that try to run script or load something; TRAP is a server that counts every hit. */
const PAYLOADS: Record<string, string> = {
  script: `<script>alert('script');fetch('TRAP/script')</script><p>x</p>`,
  'event-handlers': `<img src="x" onerror="alert('onerror');new Image().src='TRAP/onerror'"><body onload="alert('onload')"><details open ontoggle="alert('toggle')"><summary>s</summary></details><p onmouseover="alert('over')">hover</p>`,
  'javascript-links': `<a id="js" href="javascript:alert('link');fetch('TRAP/js')">click me</a><a href="  JaVaScRiPt:alert('case')">two</a><a href="data:text/html,<script>alert('data')</script>">three</a>`,
  'css-tricks': `<style>@import url(TRAP/import);body{background:url(TRAP/css-block)}</style><div style="background-image:url(TRAP/css-inline);width:50px;height:50px">bg</div><link rel="stylesheet" href="TRAP/link.css"><div style="behavior:url(TRAP/htc);-moz-binding:url(TRAP/xbl)">b</div>`,
  'meta-refresh': `<meta http-equiv="refresh" content="0;url=TRAP/refresh"><meta http-equiv="set-cookie" content="pwned=1"><base href="TRAP/"><img src="relative.png">`,
  'tracking-and-embeds': `<img src="TRAP/pixel.gif" width="1" height="1"><iframe src="TRAP/iframe"></iframe><object data="TRAP/object"></object><embed src="TRAP/embed"><video src="TRAP/video" autoplay></video><audio src="TRAP/audio" autoplay></audio><form action="TRAP/form" method="post"><input name="q" value="x"><button id="submit">go</button></form>`,
  svg: `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('svg')"><script>alert('svg-script')</script><image href="TRAP/svg-image"/><a href="javascript:alert('svg-a')"><text y="20">svg</text></a><animate onbegin="alert('animate')" attributeName="x" dur="1s"/><foreignObject><img src="TRAP/foreign"></foreignObject></svg>`,
  mathml: `<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss');fetch('TRAP/mxss')">`,
  'mathml-href': `<math href="javascript:alert('math')"><mi xlink:href="javascript:alert('mi')">m</mi><maction actiontype="statusline#TRAP">x</maction></math>`,
  noscript: `<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></noscript>`,
  'srcset-and-lazy': `<img srcset="TRAP/srcset 2x" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><picture><source srcset="TRAP/picture"><img></picture><input type="image" src="TRAP/input">`,
};

let trap: Server;
let trapHits: string[] = [];

test.before(async () => {
  trap = createServer((req, res) => {
    trapHits.push(req.url ?? '');
    res.end('alert("from trap")');
  });
  trap.listen(0, '127.0.0.1');
  await new Promise((resolve) => trap.once('listening', resolve));
});
test.after.always(() => trap.close());

for (const mode of ['sanitised', 'raw'] as const) {
  test.serial(
    `hostile HTML (${mode}) in Chromium: no script runs and no request leaves the page`,
    async (t) => {
      const d = await createTestDevice(t);
      const ben = await d.user('ben');
      const TRAP = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
      const store = createMailStore(d.db);
      for (const [name, payload] of Object.entries(PAYLOADS)) {
        const body = payload.replaceAll('TRAP', TRAP);
        await store.transaction((tx) =>
          d.mail.importEmail(
            tx,
            {
              _uid: name,
              sent_at: '2026-11-02 07:00',
              from: 'attacker@evil.test',
              to: [ben.address],
              cc: [],
              bcc: [],
              subject: name,
              body,
              attachments: [],
            },
            () => undefined,
          ),
        );
        // The second wall alone: what if the sanitiser missed everything?
        if (mode === 'raw') await d.db('emails').where({ uid: name }).update({ body_html: body });
      }

      // A friendly email with an inline logo: the second wall must not stop the device's own cid: images.
      const png = await makePng();
      await d.mail
        .send(ben, {
          to: [ben.address],
          cc: [],
          bcc: [],
          subject: 'logo',
          bodyHtml: '<p>Logo: <img src="cid:logo"></p>',
          attachments: [
            { ...(await d.files.putBuffer(png)), filename: 'logo.png', type: 'image/png', cid: 'logo' },
          ],
        })
        .then(({ uid }) => d.db('emails').where({ uid }).update({ uid: 'friendly' }));

      const server = d.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const browser = await launchChromium();
      t.teardown(async () => {
        await browser.close();
        server.closeAllConnections();
        server.close();
      });
      const context = await browser.newContext({ ...PHONE, baseURL: base });
      const page = await context.newPage();
      await page.goto('/login');
      await page.fill('#name', 'ben');
      await page.fill('#password', 'correct horse');
      await page.click('button.primary');
      await page.waitForURL('**/inbox');

      trapHits = [];
      const dialogs: string[] = [];
      const foreign: string[] = [];
      const popups: string[] = [];
      context.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      context.on('page', (popup) => popups.push(popup.url()));
      // Chromium reports a request even when CSP stops it before it is sent (requestfailed
      // with net::ERR_BLOCKED_BY_CSP); only those that were not blocked count as having left.
      const attempted: { url: string; method: string }[] = [];
      const blocked = new Set<string>();
      context.on('request', (request) => attempted.push({ url: request.url(), method: request.method() }));
      context.on('requestfailed', (request) => {
        if (/^csp$|BLOCKED/i.test(request.failure()?.errorText ?? '')) blocked.add(request.url());
      });
      for (const name of Object.keys(PAYLOADS)) {
        await page.goto(`/email/${name}`);
        await page.waitForLoadState('load');
        const frame = page.frameLocator('iframe.body');
        // Poke what a reader would poke: links, buttons, hover.
        for (const selector of ['#js', '#submit', 'p', 'a']) {
          const target = frame.locator(selector).first();
          if ((await target.count()) > 0)
            await target.click({ timeout: 1000, force: true }).catch(() => undefined);
        }
        await page.waitForTimeout(150);
        if (name === 'javascript-links' || name === 'svg') {
          await page.screenshot({ path: path.join(ARTIFACTS, `hostile-${mode}-${name}.png`) });
        }
      }
      await page.goto('/email/friendly');
      const logo = page.frameLocator('iframe.body').locator('img');
      await logo.waitFor();
      await page.waitForLoadState('load');
      const size = await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
      t.is(size, 40, 'the cid: image shows');
      await page.waitForTimeout(300);
      t.deepEqual(dialogs, [], 'no dialog opened');
      t.deepEqual(trapHits, [], 'nothing reached the trap server');
      for (const { url, method } of attempted) {
        const isOwn = new URL(url).origin === base || url.startsWith('data:') || url === 'about:blank';
        if (isOwn ? method !== 'GET' : !blocked.has(url)) foreign.push(`${method} ${url}`);
      }
      t.deepEqual(foreign, [], 'no request beyond the app’s own resources, and only GETs to it');
      t.log(`${blocked.size} requests blocked by the frame's CSP before they were sent`);
      t.true(
        popups.every((url) =>
          url === 'about:blank' || url.startsWith(base) === false ? !url.startsWith('javascript') : true,
        ),
      );
      t.is(await context.cookies().then((cookies) => cookies.filter((c) => c.name === 'pwned').length), 0);
    },
  );
}
