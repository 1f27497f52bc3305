import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchChromium } from './support/chromium.js';
import { openContext, screenshot, textOf, visit } from './support/dashboard.js';
import { type Stack, startStack } from './support/stack.js';

/** Browser globals used inside page.evaluate (runs in Chromium; the root tsconfig has no DOM lib). */
declare const sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };

describeBrowser('dashboard journeys (real exchange, Chromium)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs in with a pasted token, remembers it for the tab and signs out', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    await page.goto(`${stack.url}/#/jobs`);
    // Without a token the protected page asks for one.
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Bearer token').fill(stack.token('org-admin'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByText(/Signed in: Organization administrator/)
      .first()
      .waitFor();
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('hetao.token'))).toBe(stack.token('org-admin'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('hetao.token'))).toBeNull();
    await context.close();
  });

  it('submits a job from the form and watches it finish: state, timeline, placement, logs, cost', async () => {
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    await visit(page, stack.url, 'jobs/new');
    await page.getByLabel('Name', { exact: true }).fill('dashboard-hello');
    await page.getByLabel('Command').fill('echo hello from the dashboard');
    await page.getByLabel('GPUs', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForURL(/#\/jobs\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: 'Job: dashboard-hello' }).waitFor();
    await page
      .getByTestId('job-state')
      .getByText(/^(Succeeded|Failed|Timed out|Cancelled)$/)
      .waitFor({ timeout: 45_000 });
    await expect.poll(() => textOf(page.getByTestId('job-state'))).toContain('Succeeded');
    await expect
      .poll(() => textOf(page.getByTestId('job-logs')), { timeout: 5_000 })
      .toContain('hello from the dashboard');
    expect(await textOf(page.getByTestId('placement-explanation'))).not.toBe('');
    const timeline = await page.locator('.timeline li').allInnerTexts();
    expect(timeline.some((l) => l.includes('Running'))).toBe(true);
    await screenshot(page, 'job-finished');
    await context.close();
  }, 60_000);

  it('offers list lifecycle buttons to regulators only', async () => {
    const roles = stack.tokens.map((t) => t.role);
    for (const role of ['org-admin', 'regulator'].filter((r) => roles.includes(r))) {
      const context = await openContext(browser, { token: stack.token(role) });
      const page = await context.newPage();
      await visit(page, stack.url, 'data');
      const first = page.locator('.cards a').first();
      if ((await first.count()) === 0) return await context.close(); // the demo has no scenario
      await first.click();
      await page.locator('main h1').waitFor();
      const toggle = page.getByRole('button', { name: /^History of / }).first();
      if ((await toggle.count()) > 0) {
        await toggle.click();
        await page.locator('.timeline').first().waitFor();
        // Regulators may act on entries that are not revoked; everyone else gets no action form.
        const actionForms = await page.getByRole('form', { name: /^Change the standing of / }).count();
        if (role !== 'regulator') expect(actionForms).toBe(0);
      }
      await context.close();
    }
  });

  it('tells a site-agent token that the dashboard is not for it', async () => {
    const agent = stack.tokens.find((t) => t.role === 'site-agent');
    if (!agent) return;
    const context = await openContext(browser, { token: agent.token });
    const page = await context.newPage();
    await visit(page, stack.url, 'jobs');
    await page.getByRole('heading', { level: 1, name: 'Site agent token' }).waitFor();
    await context.close();
  });
});
