/**
 * WCAG 2.1 AA: an axe-core scan of every main page with no serious or critical violations,
 * and a keyboard-only walk (Tab, Shift+Tab, Enter, Space, arrows; no clicks) that submits a
 * job and sees it queued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, type TestEnv } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { describeViolations, seriousViolations } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { seedFarm, seedModel, signInAt, type FarmSeed } from './support/farm.js';
import { text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
let seed: FarmSeed;

beforeAll(async () => {
  env = await startAppEnv();
  seed = await seedFarm(env);
  await seedModel(seed.admin, env.url, seed.orgId, 'Gear housing');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

/** axe is injected as an inline script, which the app's CSP would block. */
const newContext = (width = 1280, height = 900): Promise<BrowserContext> =>
  browser.newContext({ bypassCSP: true, viewport: { width, height } });

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

/** The accessible text of the focused element: its label, else its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el || el === document.body) return '';
    return (el.labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
  });

/** Presses Tab (or Shift+Tab) until the focused element's text matches, at most `max` times. */
async function tabTo(page: Page, want: RegExp, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    if (want.test(await focused(page))) return;
  }
  throw new Error(`could not reach ${want} with the keyboard (focus is on "${await focused(page)}")`);
}

describe('accessibility', () => {
  it('has no serious or critical axe violations on the main pages', async () => {
    const context = await newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${env.url}/#/fleet`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'sign-in');

    await signInAt(page, env.url, seed.admin.email, TEST_PASSWORD);
    await text(page.getByTestId(`printer-card-${seed.printers.voron}`), /MCU_SHUTDOWN/);
    const jobsMeter = page.getByRole('meter', { name: /Jobs this month/ });
    await jobsMeter.waitFor();
    expect(await jobsMeter.getAttribute('aria-valuemax')).toBe('25');
    await expectAccessible(page, 'fleet');

    const pages: [string, () => Promise<unknown>][] = [
      [`#/printers/${seed.printers.mk4}`, () => text(page.getByTestId('command-list'), /Pending/)],
      ['#/queue', () => text(page.getByTestId(/^queue-row-/).first(), /Queued/)],
      ['#/models', () => text(page.locator('.model-item').first(), /Gear housing/)],
      ['#/reports', () => page.getByTestId('spend-me').waitFor()],
      ['#/analytics', () => text(page.getByTestId('analytics-source'), /from the server\./)],
      ['#/attention', () => page.getByRole('heading', { level: 1, name: 'Needs attention' }).waitFor()],
    ];
    for (const [hash, ready] of pages) {
      await page.evaluate((h) => (location.hash = h), hash);
      await ready();
      await expectAccessible(page, hash);
    }

    // Dialogs too: the stop confirmation on the printer page.
    await page.evaluate((h) => (location.hash = h), `#/printers/${seed.printers.mk4}`);
    await page.getByRole('button', { name: 'Stop' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog', { name: /Stop Prusa MK4/ }).waitFor();
    await expectAccessible(page, 'stop dialog');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('Stop');
    await context.close();
  });

  it('fits every page into a 360 px wide phone screen (no sideways scrolling)', async () => {
    const context = await newContext(360, 740);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signInAt(page, env.url, seed.admin.email, TEST_PASSWORD);
    for (const hash of [
      '#/fleet',
      `#/printers/${seed.printers.mk4}`,
      '#/queue',
      '#/models',
      '#/reports',
      '#/analytics',
      '#/attention',
    ]) {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(300);
      const [scrollWidth, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth, hash).toBeLessThanOrEqual(width);
    }
    await context.close();
  });

  it('submits a job with the keyboard only', async () => {
    const context = await newContext(1280, 900);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${env.url}/#/fleet`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type(seed.admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await text(page.getByTestId('sync-status'), /Online/);
    await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();

    // The navigation comes before the page: walk back to it, then open the queue.
    await tabTo(page, /^Queue$/, { back: true });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await expect.poll(() => page.getByLabel('Model').locator('option').count()).toBeGreaterThan(1);

    await tabTo(page, /^Model$/);
    await page.keyboard.press('ArrowDown'); // "Gear housing"
    await expect.poll(() => page.getByLabel('Job name').inputValue()).toBe('Gear housing');
    await tabTo(page, /^Revision$/);
    await tabTo(page, /^Job name$/);
    await page.keyboard.press('End');
    await page.keyboard.type(' (keyboard)');
    await tabTo(page, /^Printer$/);
    await page.keyboard.press('ArrowDown'); // the first printer instead of "Any printer"
    await tabTo(page, /^Priority$/);
    await page.keyboard.press('ArrowDown'); // Normal -> High
    await tabTo(page, /^Submit job$/);
    await page.keyboard.press('Space');

    await text(page.getByTestId('submit-status'), 'Job “Gear housing (keyboard)” queued.');
    const row = page.locator('[data-testid^="queue-row-"]', { hasText: 'Gear housing (keyboard)' });
    await text(row, /Queued/);
    await text(row, /75/);
    await text(row, /Bambu A1 mini/);
    await context.close();
  });
});
