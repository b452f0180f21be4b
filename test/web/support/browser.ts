/**
 * A real browser for dashboard tests: Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`) driven by
 * playwright-core, headless. Screenshots go to `test-artifacts/web/` (kept for failures and for the README).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where screenshots are written, relative to the repository root. */
export const ARTIFACTS_DIR = join(new URL('../../..', import.meta.url).pathname, 'test-artifacts', 'web');

/** Starts headless Chromium. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

/**
 * Saves a screenshot of `page` as `<name>.png` in {@link ARTIFACTS_DIR}: the whole page, or with
 * `fullPage: false` only the window; returns its path.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
