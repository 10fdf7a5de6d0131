/**
 * Account security in the PWA (SPEC S-T2, S-T4): turn on two-factor authentication from the
 * profile, sign in again with a code (and with a backup code), then create an API token,
 * use it from outside the browser, revoke it in the UI and see it refused.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { TestEnv } from '../sync-server/test/support/testServer.js';
import { TEST_PASSWORD } from '../sync-server/test/support/testServer.js';
import { openProfile, signInWithSecondFactor, signOut } from './support/account.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { newPage, signIn, text } from './support/pages.js';

const EMAIL = 'mia@lab-m.test';
let env: TestEnv;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  env = await startAppEnv();
  const org = await env.org('Lab M');
  await env.user(EMAIL, { [org]: 'operator' });
  browser = await launchChromium();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await env?.stop();
});

const meStatus = async (token: string) =>
  (await fetch(`${env.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('profile: two-factor authentication and API tokens', () => {
  it('turns on MFA, signs in with a code and a backup code, creates, uses and revokes a token', async () => {
    context = await browser.newContext();
    const page = await newPage(context);
    await signIn(page, env.url, EMAIL, TEST_PASSWORD);

    // Two-factor authentication: QR code, key, first code, backup codes shown once.
    await openProfile(page);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).toMatch(
      /^data:image\/png;base64,/,
    );
    await page.getByLabel('Code from your app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('backup-codes').locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    const backupCode = ((await codes.nth(3).textContent()) ?? '').trim();
    expect(backupCode).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    await page.getByRole('button', { name: 'I have stored my backup codes' }).click();
    await text(page.getByTestId('mfa-status'), 'Two-factor authentication is on');
    expect(await page.getByTestId('backup-codes').count()).toBe(0);

    // Sign in again: password, then a code of the next time step (each step is accepted once).
    await signOut(page);
    const nextCode = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    await signInWithSecondFactor(page, env.url, EMAIL, TEST_PASSWORD, { code: nextCode });

    // And with a backup code, which then no longer works.
    await signOut(page);
    await signInWithSecondFactor(page, env.url, EMAIL, TEST_PASSWORD, { backupCode });
    const used = await fetch(`${env.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: TEST_PASSWORD }),
    }).then((r) => r.json() as Promise<{ mfaToken: string }>);
    const again = await fetch(`${env.url}/api/auth/mfa/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mfaToken: used.mfaToken, backupCode }),
    });
    expect(again.status).toBe(401);

    // An API token: shown once, works from a script, revoked in the UI, then refused.
    await openProfile(page);
    await page.getByLabel('Name', { exact: true }).fill('Inventory script');
    await page.getByLabel('Read printers').check();
    await page.getByLabel('Expires in (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await text(page.getByTestId('new-token'), /^fst_/);
    const token = ((await page.getByTestId('new-token').textContent()) ?? '').trim();
    await expect(page.getByText('it will not be shown again', { exact: false }).count()).resolves.toBeGreaterThan(0);
    expect(await meStatus(token)).toBe(200);

    const row = page.locator('[data-testid^="token-"]', { hasText: 'Inventory script' });
    await text(row.locator('td[data-label="State"]'), 'Active');
    await text(row.locator('td[data-label="Scopes"]'), 'read:printers');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await text(row.locator('td[data-label="State"]'), 'Revoked');
    expect(await meStatus(token)).toBe(401);
  });
});
