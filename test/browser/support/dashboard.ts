import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { en } from '../../../web/src/i18n/en.js';

/** Browser globals used inside page.evaluate and init scripts (they run in Chromium; the root tsconfig has no DOM lib). */
interface Storage {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
}
declare const sessionStorage: Storage;
declare const localStorage: Storage;
declare const document: {
  querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null }>;
};
declare const window: {
  readonly axe: { run(d: unknown): Promise<{ violations: unknown[] }> };
  readonly __hetaoMissingKeys?: string[];
};

const ROOT = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A fresh browser context (own storage) with the given token already in sessionStorage and a language chosen. */
export async function openContext(
  browser: Browser,
  opts: { token?: string; language?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await context.addInitScript(
    ({ token, language }) => {
      if (token && !sessionStorage.getItem('hetao.token')) sessionStorage.setItem('hetao.token', token);
      if (language && !localStorage.getItem('hetao.language')) localStorage.setItem('hetao.language', language);
    },
    { token: opts.token ?? '', language: opts.language ?? 'en' },
  );
  return context;
}

/** Opens `#/<route>` and waits for its h1 and for loading indicators to clear. */
export async function visit(page: Page, base: string, route: string): Promise<void> {
  await page.goto(`${base}/#/${route.replace(/^#?\/?/, '')}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.loading').length === 0, undefined, { timeout: 10_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    return (await window.axe.run(document)).violations;
  });
  return (violations as AxeViolation[]).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs: readonly AxeViolation[]): string {
  return vs
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

function flatten(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatten(v as Record<string, unknown>, `${prefix}${k}.`),
  );
}

/** Every translation key of the dashboard, e.g. `overview.title`. */
export const I18N_KEYS: readonly string[] = flatten(en);
const KEY_PATTERN = new RegExp(
  `(^|[^\\w.-])(${I18N_KEYS.map((k) => k.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})($|[^\\w.-])`,
);

/** No raw translation key is visible and i18next reported no missing key. */
export async function expectFullyTranslated(page: Page): Promise<void> {
  const text = await textOf(page.locator('body'));
  const attrs = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[aria-label],[title],[placeholder]'), (e) =>
      ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a) ?? '').join(' '),
    ).join('\n'),
  );
  expect(KEY_PATTERN.exec(`${text}\n${attrs}`)?.[2], 'an untranslated i18n key is visible').toBeUndefined();
  const missing = await page.evaluate(() => window.__hetaoMissingKeys ?? []);
  expect(missing, 'i18next reported missing keys').toEqual([]);
}

/** Chooses a language with the header's switcher, as a user would. */
export async function chooseLanguage(page: Page, code: 'en' | 'zh-HK' | 'zh-CN'): Promise<void> {
  await page.locator('.language-switcher select').selectOption(code);
  await page.waitForFunction((c) => localStorage.getItem('hetao.language') === c, code);
}

/** What a sighted user reads in the located element (Playwright's innerText). */
export function textOf(l: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Locator.innerText is Playwright's, not the DOM property
  return l.innerText();
}
