/**
 * Swagger UI at /docs, in a real (headless) Chromium: authorize with an admin key, then
 * "Try it out" → "Execute" on GET /api/v1/gateways must show a 200 from this server.
 * Nothing leaves the machine: requests to any other host are aborted and listed on failure.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, type Browser } from './support/browser';
import { startTestApp, TestApp } from './support/test-app';

const itWithBrowser = chromiumAvailable() ? it : it.skip;

describe('Swagger UI (/docs)', () => {
  let t: TestApp;
  let browser: Browser | undefined;
  let page: Page;
  const offHost: string[] = [];
  const apiCalls: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  itWithBrowser('authorizes with the admin key and executes GET /api/v1/gateways: 200', async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    let step = 'open /docs';
    const origin = new URL(t.baseUrl).origin;
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      offHost.push(`${route.request().method()} ${url}`);
      return route.abort('blockedbyclient');
    });
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/')) apiCalls.push(`${req.method()} ${req.url()} auth=${req.headers().authorization ? 'yes' : 'no'}`);
    });

    try {
      await page.goto(`${t.baseUrl}/docs`, { waitUntil: 'load' });
      await page.locator('.swagger-ui .info .title').waitFor();

      // Authorize: the bearer scheme's value, then close the dialog.
      step = 'authorize';
      await page.locator('.swagger-ui .auth-wrapper button.authorize').click();
      const dialog = page.locator('.swagger-ui .dialog-ux .modal-ux');
      await dialog.waitFor();
      const bearer = dialog.locator('.auth-container').filter({ has: page.locator('h4 code', { hasText: /^bearer$/ }) });
      await bearer.locator('input#auth-bearer-value').fill(t.adminKey);
      await bearer.locator('.auth-btn-wrapper button.authorize', { hasText: 'Authorize' }).click();
      await bearer.locator('.auth-btn-wrapper button', { hasText: 'Logout' }).waitFor(); // authorized
      await bearer.locator('.auth-btn-wrapper button.btn-done', { hasText: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });

      // GET /api/v1/gateways: expand, Try it out, Execute.
      step = 'try it out';
      const op = page.locator('#operations-gateways-gateways_list');
      await op.locator('.opblock-summary').first().click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      await op.getByRole('button', { name: 'Execute' }).click();

      step = 'read the response';
      const status = op.locator('.live-responses-table .response .response-col_status').first();
      await status.waitFor({ timeout: 15_000 });
      const shown = (await status.innerText()).trim();
      const bodyShown = (await op.locator('.live-responses-table tbody .response-col_description').first().innerText()).trim();
      expect({ status: shown, body: bodyShown.slice(0, 500), apiCalls, offHost }).toEqual({
        status: expect.stringMatching(/^200\b/),
        body: expect.stringContaining('"total": 0'),
        apiCalls: [expect.stringMatching(new RegExp(`^GET ${origin}/api/v1/gateways(\\?[^ ]*)? auth=yes$`))],
        offHost: [],
      });
    } catch (e) {
      // Say what the page did: where "Execute" went and what it showed.
      const shown = await page
        .locator('.swagger-ui .live-responses-table, .swagger-ui .responses-inner')
        .first()
        .innerText()
        .catch(() => '(no response panel)');
      const wrongHost = offHost.find((r) => r.includes('/api/v1/'));
      const hint = wrongHost
        ? `\n--- Swagger UI sent "Execute" to another host (${wrongHost}), not to the server that serves /docs: ` +
          'the document served at /docs/openapi.json must list that server first in `servers` (or a relative one).'
        : '';
      throw new Error(
        `at step "${step}": ${(e as Error).message}\n--- requests to this server's API: ${JSON.stringify(apiCalls)}\n--- requests to other hosts (aborted): ${JSON.stringify(offHost)}\n--- response panel:\n${shown.slice(0, 1500)}${hint}`,
      );
    }
  });
});
