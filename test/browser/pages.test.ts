import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-cn.js';
import { zhHK } from '../../web/src/i18n/zh-hk.js';
import { describeBrowser, launchChromium } from './support/chromium.js';
import {
  axeSerious,
  chooseLanguage,
  describeViolations,
  expectFullyTranslated,
  openContext,
  screenshot,
  textOf,
  visit,
} from './support/dashboard.js';
import { type Stack, startStack } from './support/stack.js';

/** Browser globals used inside page.evaluate (runs in Chromium; the root tsconfig has no DOM lib). */
interface El {
  readonly tagName: string;
  readonly textContent: string | null;
}
declare const document: { readonly activeElement: El | null; readonly documentElement: { readonly lang: string } };
declare function getComputedStyle(e: El): { readonly outlineStyle: string; readonly outlineWidth: string };

const LANGS = [
  ['en', en],
  ['zh-HK', zhHK],
  ['zh-CN', zhCN],
] as const;

interface PageCase {
  readonly name: string;
  readonly route: string;
  /** The h1 in each language, when it is a fixed string. */
  readonly title?: (r: typeof en) => string;
}

async function firstHref(page: Page, base: string, listRoute: string, selector: string): Promise<string | undefined> {
  await visit(page, base, listRoute);
  const href = await page
    .locator(selector)
    .first()
    .getAttribute('href', { timeout: 2_000 })
    .catch(() => null);
  return href?.replace(/^#\//, '');
}

describeBrowser('every page: screenshots, accessibility, three languages, keyboard (real exchange, Chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  const cases: PageCase[] = [
    { name: 'overview', route: '', title: (r) => r.overview.title },
    { name: 'jobs', route: 'jobs', title: (r) => r.jobs.title },
    { name: 'job-submit', route: 'jobs/new', title: (r) => r.jobs.submitTitle },
    { name: 'data', route: 'data', title: (r) => r.data.title },
    { name: 'flows', route: 'flows', title: (r) => r.flows.title },
    { name: 'ledger', route: 'ledger', title: (r) => r.ledger.title },
    { name: 'sites', route: 'sites', title: (r) => r.sites.title },
    { name: 'sign-in', route: 'sign-in', title: (r) => r.auth.title },
  ];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    // Pages of one object: the first site, scenario and job the demo shows.
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    const site = await firstHref(page, stack.url, 'sites', 'main tbody a');
    if (site) cases.push({ name: 'site', route: site });
    const scenario = await firstHref(page, stack.url, 'data', '.cards a');
    if (scenario) cases.push({ name: 'scenario', route: scenario });
    const job = await firstHref(page, stack.url, 'jobs', 'main tbody a');
    if (job) cases.push({ name: 'job', route: job });
    await context.close();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('renders each page, screenshots it, and axe finds no serious or critical violation', async () => {
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const c of cases) {
      await visit(page, stack.url, c.route);
      if (c.name === 'overview')
        await page.getByRole('img', { name: /^Map of the Greater Bay Area/ }).waitFor({ timeout: 5_000 });
      await page.waitForTimeout(300); // let charts finish their first frame
      await screenshot(page, c.name);
      const serious = await axeSerious(page);
      if (serious.length) problems.push(`${c.name}:\n${describeViolations(serious)}`);
    }
    expect(problems.join('\n\n')).toBe('');
    await context.close();
  }, 60_000);

  it('switches among English, 繁體中文 and 简体中文 on every page, with nothing left untranslated', async () => {
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    for (const c of cases) {
      await visit(page, stack.url, c.route);
      for (const [code, res] of LANGS) {
        await chooseLanguage(page, code);
        await expect.poll(() => textOf(page.locator('nav[aria-label] a').first())).toBe(res.nav.overview);
        if (c.title) expect(await textOf(page.locator('main h1').first()), `${c.name} in ${code}`).toBe(c.title(res));
        expect(await page.evaluate(() => document.documentElement.lang)).toMatch(code === 'en' ? /^en/ : /^zh-Han[st]/);
        await expectFullyTranslated(page);
      }
      if (c.name === 'overview') await screenshot(page, 'overview-zh-CN');
    }
    // The choice is remembered across reloads.
    await page.reload();
    await page.locator('main h1').first().waitFor();
    expect(await textOf(page.locator('nav[aria-label] a').first())).toBe(zhCN.nav.overview);
    await chooseLanguage(page, 'zh-HK');
    await visit(page, stack.url, '');
    await screenshot(page, 'overview-zh-HK');
    await context.close();
  }, 60_000);

  it('works from the keyboard alone, with visible focus', async () => {
    const context = await openContext(browser, { token: stack.token('org-admin') });
    const page = await context.newPage();
    await visit(page, stack.url, '');
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement;
        const s = e ? getComputedStyle(e) : undefined;
        return { tag: e?.tagName, text: e?.textContent ?? '', outline: s ? `${s.outlineStyle} ${s.outlineWidth}` : '' };
      });

    // The first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe(en.app.skipToContent);
    expect((await focused()).outline).not.toMatch(/^none/);
    await page.keyboard.press('Enter');
    expect((await focused()).tag).toBe('MAIN');

    // Tab through the header to the Flows link and follow it.
    await page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 30 && (await focused()).text !== en.nav.flows; i++) await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe(en.nav.flows);
    expect((await focused()).outline).not.toMatch(/^none/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: en.flows.title }).waitFor();

    // Every control of the flow form is reachable with Tab, in order, and the form submits with Enter.
    const seen: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      seen.push(f.text);
      expect(f.outline, `focus ring on ${f.tag} "${f.text}"`).not.toMatch(/^none/);
      if (f.tag === 'BUTTON' && f.text === en.flows.ask) break;
    }
    expect(seen.at(-1)).toBe(en.flows.ask);
    await page.keyboard.press('Enter');
    await page.getByTestId('decision').waitFor();

    // The language switcher is operable from the keyboard too.
    await page.locator('.language-switcher select').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => textOf(page.locator('main h1').first())).toBe(zhHK.flows.title);
    await context.close();
  }, 60_000);
});
