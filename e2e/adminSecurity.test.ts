/**
 * Org administration in the PWA: an invitation link creates an account; "require two-factor
 * authentication" sends members through setup before anything else; the IP allowlist editor
 * names wrong lines and shows the server's lock-out refusal; the audit log lists the changes
 * and exports them as CSV.
 */
import { readFile } from 'node:fs/promises';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestEnv, TestUser } from '../sync-server/test/support/testServer.js';
import { TEST_PASSWORD } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { newPage, signIn, text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
let admin: TestUser;
let orgId = '';
let adminPage: Page;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  env = await startAppEnv();
  orgId = await env.org('Gamma Works');
  admin = await env.user('gia@gamma.test', { [orgId]: 'admin' });
  await env.user('gus@gamma.test', { [orgId]: 'operator' });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await env?.stop();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return newPage(context);
}

async function openAdmin(page: Page, tab: 'Security and audit' | 'Members'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: tab }).click();
}

describe('org administration', () => {
  it('invites someone whose link creates an account (password checked with the shared policy)', async () => {
    adminPage = await freshPage();
    await signIn(adminPage, env.url, admin.email, TEST_PASSWORD);
    await openAdmin(adminPage, 'Members');
    await text(adminPage.getByTestId(`member-${admin.id}`).locator('td').first(), /gia@gamma\.test/);
    await adminPage.getByLabel('Email').fill('nia@gamma.test');
    await adminPage.getByLabel('Role', { exact: true }).selectOption('viewer');
    await adminPage.getByRole('button', { name: 'Invite' }).click();
    await text(adminPage.getByTestId('invite-link'), /\/#\/invite\/fsi_/);
    const link = ((await adminPage.getByTestId('invite-link').textContent()) ?? '').trim();

    const invitee = await freshPage();
    await invitee.goto(link);
    await invitee.getByLabel('Your name').fill('Nia');
    await invitee.getByLabel('Password', { exact: true }).fill('short');
    await invitee.getByLabel('Repeat password').fill('short');
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    await text(invitee.getByRole('alert'), /Use at least 8 characters\./);
    await invitee.getByLabel('Password', { exact: true }).fill('Gamma-Printing-77');
    await invitee.getByLabel('Repeat password').fill('Gamma-Printing-77');
    await invitee.getByRole('button', { name: 'Accept invitation' }).click();
    await text(invitee.getByRole('status'), /You joined as viewer/);
    await signIn(invitee, env.url, 'nia@gamma.test', 'Gamma-Printing-77');
    await text(invitee.getByTestId('org-name'), 'Gamma Works');
  });

  it('requires two-factor authentication: a member sets it up before anything else', async () => {
    await openAdmin(adminPage, 'Security and audit');
    await adminPage.getByLabel('Require two-factor authentication').check();
    await text(adminPage.getByRole('status').filter({ hasText: 'Saved' }), /must set it up at their next sign-in/);
    const setting = await admin.json<{ enabled: boolean }>(`/api/config/require-mfa?orgId=${orgId}`);
    expect(setting.body.enabled).toBe(true);

    const member = await freshPage();
    await member.goto(`${env.url}/#/jobs`);
    await member.getByLabel('Email').fill('gus@gamma.test');
    await member.getByLabel('Password').fill(TEST_PASSWORD);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.getByRole('heading', { name: 'Set up two-factor authentication', level: 1 }).waitFor();
    expect(await member.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await member.getByRole('heading', { name: 'Jobs' }).count()).toBe(0);

    await member.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = ((await member.getByTestId('mfa-secret').textContent()) ?? '').trim();
    await member.getByLabel('Code from your app').fill(await generate({ secret }));
    await member.getByRole('button', { name: 'Turn on' }).click();
    await expect.poll(() => member.getByTestId('backup-codes').locator('li').count()).toBe(10);
    await member.getByRole('button', { name: 'Continue to Fleetsync' }).click();
    await member.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await text(member.getByTestId('sync-status'), /Online/, 20_000);
    await member.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('checks allowlist lines, shows the lock-out refusal, and lists and exports the audit log', async () => {
    const cidrs = adminPage.getByLabel('Allowed addresses (one CIDR per line)');
    await cidrs.fill('10.0.0.0/8\nnot-an-address\n192.168.1.0/33');
    await adminPage.getByRole('button', { name: 'Save allowlist' }).click();
    await text(
      adminPage.getByTestId('cidr-problems'),
      /Line 2: “not-an-address”.*Line 3: “192\.168\.1\.0\/33” has an invalid prefix/,
    );
    expect(await cidrs.getAttribute('aria-invalid')).toBe('true');

    await cidrs.fill('10.0.0.0/8');
    await adminPage.getByLabel('Always allow this machine (loopback)').uncheck();
    await adminPage.getByRole('button', { name: 'Save allowlist' }).click();
    await text(adminPage.getByTestId('allowlist-error'), /would lock you out/);
    expect(await adminPage.getByTestId('allowlist-error').getAttribute('role')).toBe('alert');
    const stored = await admin.json<{ cidrs: string[] }>(`/api/config/ip-allowlist?orgId=${orgId}`);
    expect(stored.body.cidrs).toEqual([]);

    const table = adminPage.getByTestId('audit-table');
    await adminPage.getByLabel('Action').fill('config.');
    await adminPage.getByRole('button', { name: 'Apply filters' }).click();
    await text(table.locator('tbody tr').first().locator('td[data-label="Action"]'), 'config.require_mfa_changed');
    await text(table.locator('tbody tr').first().locator('td[data-label="Actor"]'), 'gia@gamma.test');

    const [download] = await Promise.all([
      adminPage.waitForEvent('download'),
      adminPage.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('audit-log.csv');
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('actor_label');
    expect(csv).toContain('config.require_mfa_changed');
    expect(csv).not.toContain('auth.login');
  });
});
