/** Account steps in words of the UI: sign in with a second factor, open the profile. */
import type { Page } from 'playwright-core';
import { text } from './pages.js';

/** Password step, then the second factor (an authenticator code, or a backup code). */
export async function signInWithSecondFactor(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  factor: { code: string } | { backupCode: string },
): Promise<void> {
  await page.goto(`${baseUrl}/#/printers`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if ('code' in factor) {
    await page.getByLabel('Authentication code').fill(factor.code);
  } else {
    await page.getByRole('button', { name: 'Use a backup code' }).click();
    await page.getByLabel('Backup code').fill(factor.backupCode);
  }
  await page.getByRole('button', { name: 'Verify' }).click();
  await text(page.getByTestId('sync-status'), /Online/, 20_000);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

export async function openProfile(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
}
