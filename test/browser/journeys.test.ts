import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobRecord } from '../../src/scheduler/testing/job-record.js';
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

  /** The account behind a token, as the exchange sees it. */
  async function whoAmI(token: string): Promise<{ account: { orgId: string } }> {
    const res = await fetch(`${stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as { account: { orgId: string } };
  }

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
    await page.getByLabel(/^Preemptible:/).check();
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
    await page.getByText('Preemptible', { exact: true }).waitFor();
    const timeline = await page.locator('.timeline li').allInnerTexts();
    expect(timeline.some((l) => l.includes('Running'))).toBe(true);
    const cost = page.locator('section[aria-labelledby="job-cost"]');
    await expect.poll(() => textOf(cost)).toMatch(/Gross[\s\S]*Subsidy[\s\S]*Net/);
    expect(await textOf(cost)).not.toContain('The cost is known when the job has run.');
    await screenshot(page, 'job-finished');
    await context.close();
  }, 60_000);

  it('pages through more jobs than one page holds: older, then back to the newest', async () => {
    const store = stack.store;
    if (!store) return; // an external exchange (debugging): nothing to seed it with
    const token = stack.token('org-admin');
    const me = await whoAmI(token);
    // finished long ago (ids older than the demo's), so they sort after the demo's jobs and nothing runs them
    const seeded: string[] = [];
    for (let i = 0; i < 105; i++) {
      const job = jobRecord(me.account.orgId, { state: 'cancelled', endedAt: Date.UTC(2026, 10, 1) });
      await store.jobs.insertJob(job, []);
      seeded.push(job.name);
    }
    const context = await openContext(browser, { token });
    const page = await context.newPage();
    await visit(page, stack.url, 'jobs');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(100);
    const first = await page.locator('tbody th a').allInnerTexts();
    await page.getByRole('link', { name: 'Older jobs' }).click();
    await page.waitForURL(/after=/);
    await expect.poll(() => rows.count()).toBeLessThan(100);
    const older = await page.locator('tbody th a').allInnerTexts();
    expect(older.length).toBeGreaterThanOrEqual(5);
    expect(older.filter((n) => first.includes(n))).toEqual([]);
    // both pages together hold every seeded job once
    expect([...first, ...older].filter((n) => seeded.includes(n)).sort()).toEqual([...seeded].sort());
    expect(await page.getByRole('link', { name: 'Older jobs' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Newest jobs' }).click();
    await expect.poll(() => rows.count()).toBe(100);
    expect(await page.locator('tbody th a').first().innerText()).toBe(first[0]);
    await context.close();
  }, 60_000);

  it('shows a job that ran on both sides of the boundary charged by site, in each currency', async () => {
    const store = stack.store;
    if (!store) return; // an external exchange (debugging): nothing to seed it with
    const token = stack.token('org-admin');
    const me = await whoAmI(token);
    const line = { gpuHours: 1, programme: null };
    const job = jobRecord(me.account.orgId, {
      state: 'succeeded',
      endedAt: Date.UTC(2026, 10, 1, 2),
      cost: {
        currency: null,
        gpuHours: 3,
        gross: null,
        subsidy: null,
        net: null,
        programme: null,
        lines: [
          { ...line, siteId: 'site_A', siteName: 'Qianhai first run', currency: 'CNY', gross: 12, subsidy: 0, net: 12 },
          {
            ...line,
            siteId: 'site_B',
            siteName: 'Cyberport resumed run',
            currency: 'HKD',
            gpuHours: 2,
            gross: 28,
            subsidy: 19.6,
            net: 8.4,
            programme: 'hk-aiss',
          },
        ],
      },
    });
    await store.jobs.insertJob(job, []);
    const context = await openContext(browser, { token });
    const page = await context.newPage();
    await visit(page, stack.url, `jobs/${job.id}`);
    const cost = page.locator('section[aria-labelledby="job-cost"]');
    await cost.getByRole('table', { name: /By site/ }).waitFor();
    const rows = await cost.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Qianhai first run');
    expect(rows[0]).toContain('12');
    expect(rows[1]).toContain('Cyberport resumed run');
    expect(rows[1]).toMatch(/19\.6/);
    expect(rows[1]).toMatch(/8\.4/);
    // no total across currencies: the net of each, joined
    const summary = await textOf(cost.locator('p'));
    expect(summary).toMatch(/^Net: .*12.* \+ .*8\.4.*more than one currency/);
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
