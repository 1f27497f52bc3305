import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's Chromium; `sudo scripts/services-up.sh browser` installs it. */
export const CHROMIUM_PATH = process.env.HETAO_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM_PATH);
const MISSING = `Chromium not found at ${CHROMIUM_PATH}: run \`sudo scripts/services-up.sh browser\` to install it`;

/**
 * describe() for browser suites: runs them when Chromium is installed; otherwise fails under CI=true (a missing
 * browser must not pass silently there) and skips elsewhere, saying how to install it.
 */
export function describeBrowser(name: string, body: () => void): void {
  if (present) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(MISSING);
      });
    });
    return;
  }
  console.warn(`[browser tests skipped] ${MISSING}`);
  describe.skip(name, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
