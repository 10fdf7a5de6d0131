/**
 * Screenshots of the fleet grid and a printer's page, on a phone (360×740) and a laptop
 * (1366×850), written to docs/screenshots/{fleet,printer}-{phone,laptop}.png.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, type TestEnv } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { seedFarm, signInAt, type FarmSeed } from './support/farm.js';
import { text } from './support/pages.js';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const SIZES = {
  phone: { width: 360, height: 740, deviceScaleFactor: 2 },
  laptop: { width: 1366, height: 850, deviceScaleFactor: 1 },
} as const;

let env: TestEnv;
let browser: Browser;
let seed: FarmSeed;

beforeAll(async () => {
  env = await startAppEnv();
  seed = await seedFarm(env);
  browser = await launchChromium();
  await mkdir(OUT, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

async function isPng(file: string): Promise<boolean> {
  const bytes = await readFile(file);
  return bytes.length > 1000 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** The page is no wider than the viewport (no horizontal scrolling). */
const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('screenshots', () => {
  for (const [size, viewport] of Object.entries(SIZES)) {
    it(`fleet grid and printer page on a ${size}`, async () => {
      const { width, height, deviceScaleFactor } = viewport;
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signInAt(page, env.url, seed.admin.email, TEST_PASSWORD);
      await text(page.getByTestId(`printer-card-${seed.printers.voron}`), /MCU_SHUTDOWN/);
      await text(page.getByTestId(`printer-card-${seed.printers.mk4}`), /62%/);
      expect(await noSideScroll(page)).toBe(true);
      const fleet = path.join(OUT, `fleet-${size}.png`);
      await page.screenshot({ path: fleet, fullPage: true });

      await page.getByRole('link', { name: 'Prusa MK4 #1' }).click();
      await page.getByRole('heading', { level: 1, name: 'Prusa MK4 #1' }).waitFor();
      await text(page.getByTestId('command-list'), /Pending/);
      await text(page.locator('.notes [role="status"]'), /Live/);
      await page.getByTestId('printer-notes').fill('Nozzle swapped to 0.6 mm on Monday.');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      expect(await noSideScroll(page)).toBe(true);
      const printer = path.join(OUT, `printer-${size}.png`);
      await page.screenshot({ path: printer, fullPage: true });

      expect(await isPng(fleet)).toBe(true);
      expect(await isPng(printer)).toBe(true);
      await context.close();
    });
  }
});
