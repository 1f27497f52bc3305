import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchChromium } from './support/chromium.js';
import { openContext, screenshot, textOf, visit } from './support/dashboard.js';
import { type Stack, startStack } from './support/stack.js';

/** Browser globals used inside page.evaluate (runs in Chromium; the root tsconfig has no DOM lib). */
declare const localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };

describeBrowser('flows and ledger (real exchange, Chromium)', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks the policy engine whether data may go there and shows decision, rule, sources and conditions', async () => {
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    await visit(page, stack.url, 'flows');
    // The rulebook's example: SZ CRM records (150,000 individuals) to Hong Kong -> GBA standard contract (rule 11).
    await page.getByRole('group', { name: 'Exporter' }).getByLabel('Jurisdiction').selectOption('SZ');
    await page.getByRole('group', { name: 'Importer' }).getByLabel('Jurisdiction').selectOption('HK');
    await page.getByLabel('Individuals’ personal information exported this year').fill('150000');
    await page.getByLabel('Contains personal information', { exact: true }).check();
    await page.getByRole('button', { name: 'Ask the policy engine' }).click();
    const decision = page.getByTestId('decision');
    await decision.waitFor();
    expect(await textOf(decision.getByRole('heading').first())).toContain('Allow with conditions');
    expect(await textOf(decision)).toContain('GBA standard contract');
    expect(await textOf(page.getByTestId('decision-rule'))).not.toBe('');
    expect(await textOf(decision)).toContain('GBA-SC');
    expect(await decision.locator('ul').last().locator('li').count()).toBeGreaterThan(0);
    await screenshot(page, 'flow-decision');

    // Core data is never exported (rule 3).
    await page.getByRole('group', { name: 'Data' }).getByLabel('Classification').selectOption('core');
    await page.getByRole('button', { name: 'Ask the policy engine' }).click();
    await expect.poll(() => textOf(decision.getByRole('heading').first())).toContain('Deny');
    await context.close();
  });

  it('verifies a ledger entry and the checkpoint signatures in the browser against pinned keys', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    await visit(page, stack.url, 'ledger');
    await page.getByRole('button', { name: 'Fetch and pin the exchange’s key' }).click();
    await page.getByText(/Keys pinned: 1\./).waitFor();
    await page.getByRole('button', { name: 'Fetch and pin the witnesses’ keys' }).click();
    await page.locator('.keys li').first().waitFor();
    // The pinned keys survive a reload (localStorage).
    await page.reload();
    await page.locator('.keys li').first().waitFor();

    await page.getByRole('button', { name: 'Verify the checkpoint’s signatures' }).click();
    const cp = page.getByTestId('checkpoint-result');
    await cp.locator('li').first().waitFor();
    const sigs = await cp.locator('li').allInnerTexts();
    expect(sigs.some((s) => s.includes('Signature · Verified'))).toBe(true);
    expect(sigs.filter((s) => s.includes('Does not verify'))).toEqual([]);

    const verify = page.getByRole('button', { name: /^Verify entry \d+$/ });
    await verify.first().waitFor({ timeout: 15_000 });
    const last = verify.last();
    const index = Number((await textOf(last)).replace(/\D/g, ''));
    await last.click();
    const result = page.getByTestId(`verify-result-${index}`);
    await result.waitFor();
    expect(await textOf(result)).toMatch(/Verified: included in the signed checkpoint of [\d,]+ entries/);
    await screenshot(page, 'ledger-verified');

    // With no key pinned, nothing verifies: trust comes from the pinned keys, not from the server.
    await page.evaluate(() => localStorage.setItem('hetao.pinnedKeys', '[]'));
    await page.reload();
    await verify.first().waitFor();
    await verify.first().click();
    await expect.poll(() => textOf(page.locator('[data-testid^="verify-result-"]').first())).toContain('Not verified');
    await context.close();
  });
});
