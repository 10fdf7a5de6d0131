/**
 * Endpoint fleet in the PWA: the device list and a device's history, a dynamic group built in
 * the visual rule builder with its live "Matching devices", a staged deployment of a package to
 * that group, and the status dashboard following the rollout as simulated agents report
 * (through the bridge protocol), with Pause and Resume.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD, type TestEnv } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { signInAt } from './support/farm.js';
import { seedFleet, type FleetSeed } from './support/fleet.js';
import { describeViolations, seriousViolations } from './support/axe.js';
import { newPage, text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
let seed: FleetSeed;

beforeAll(async () => {
  env = await startAppEnv();
  seed = await seedFleet(env);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('endpoint fleet screens', () => {
  it('builds a dynamic group, sees the matching devices, deploys a package to it and follows the rollout', async () => {
    // bypassCSP: the axe checks inject axe-core (as e2e/accessibility.test.ts does).
    const page = await newPage(await browser.newContext({ bypassCSP: true }));
    await signInAt(page, env.url, seed.admin.email, TEST_PASSWORD, '#/devices');

    // Device list (nav link "Devices") and one device's history.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices' }).click();
    await text(page.getByTestId('device-count'), '3 of 3 devices');
    await text(page.getByTestId(`device-row-${seed.devices['office-pc-01']!}`), /Ubuntu 24\.04/);
    await page.getByLabel('Operating system').selectOption('Debian GNU/Linux');
    await text(page.getByTestId('device-count'), '2 of 3 devices');
    await page.getByRole('link', { name: 'lab-pc-01' }).click();
    await text(page.getByTestId('device-heading'), 'lab-pc-01');
    await text(page.getByTestId('device-history'), /sshEnabled: false → true/);
    expect(describeViolations(await seriousViolations(page))).toBe('');

    // A dynamic group in the rule builder, with the live preview.
    await page.getByRole('navigation', { name: 'Endpoint fleet' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Group name').fill('Lab PCs');
    const first = page.getByTestId('rule-condition').nth(0);
    await first.getByLabel('Field').selectOption('hostname');
    await first.getByLabel('Operator').selectOption('startsWith');
    await first.getByLabel('Value').fill('lab-');
    await text(page.getByTestId('match-count'), '2 of 3 devices match');
    await text(page.getByTestId('match-list'), /lab-pc-01.*lab-pc-02/);
    expect(describeViolations(await seriousViolations(page))).toBe('');
    // A second condition with OR widens the match; back to AND narrows it again.
    await page.getByRole('button', { name: 'Add condition', exact: true }).click();
    const second = page.getByTestId('rule-condition').nth(1);
    await second.getByLabel('Field').selectOption('os.name');
    await second.getByLabel('Operator').selectOption('eq');
    await second.getByLabel('Value').fill('ubuntu');
    await text(page.getByTestId('match-count'), '0 of 3 devices match');
    await page.getByTestId('rule-group-1').getByLabel('Combine conditions').first().selectOption('or');
    await text(page.getByTestId('match-count'), '3 of 3 devices match');
    await second.getByRole('button', { name: 'Remove condition 1.2' }).click();
    await text(page.getByTestId('match-count'), '2 of 3 devices match');
    await page.getByRole('button', { name: 'Save group' }).click();
    await text(page.getByTestId('group-saved'), 'Group "Lab PCs" saved.');
    await text(page.getByTestId('group-table'), /Lab PCs\s*Dynamic\s*2/);
    await expect
      .poll(async () => (await env.db.query("SELECT 1 FROM documents WHERE collection = 'deviceGroups'")).rowCount, {
        timeout: 20_000,
      })
      .toBe(1);

    // A staged deployment of Cura to the group: two waves (50 %, 100 %).
    await page.getByRole('navigation', { name: 'Endpoint fleet' }).getByRole('link', { name: 'Deployments' }).click();
    await text(page.getByTestId('package-table'), /Cura\s*—\s*5\.7\.0 \(linux\)/);
    await page.getByRole('button', { name: 'New deployment' }).click();
    const form = page.getByRole('form', { name: 'New deployment' });
    await form.getByLabel('Package', { exact: true }).selectOption({ label: 'Cura' });
    await form.getByLabel('Deployment name').fill('Cura for the lab');
    await form.getByLabel('Required (install and keep installed)').check();
    await form.getByTestId('target-groups').getByLabel('Lab PCs').check();
    await form.getByLabel('Waves (cumulative percentages)').fill('50, 100');
    await form.getByLabel('Failure threshold (%)').fill('50');
    await form.getByRole('button', { name: 'Create deployment' }).click();
    await text(page.getByTestId('deployment-notice'), 'Deployment "Cura for the lab" created.');

    // The dashboard: running, two waves of one device each.
    const status = page.getByTestId('deployment-status');
    await text(status.getByTestId('deployment-state'), 'Running', 30_000);
    await expect.poll(() => status.getByTestId(/^wave-row-/).count(), { timeout: 20_000 }).toBe(2);
    await text(status.getByTestId('wave-0-queued'), '1');
    // Every target's execution exists from the start; the second wave's waits until its wave starts.
    await text(status.getByTestId('wave-1-queued'), '1');
    await text(status.getByTestId('total-queued'), '2');
    await text(status.getByTestId('deployment-progress'), /^Wave 1 of 2/);
    expect(describeViolations(await seriousViolations(page))).toBe('');

    // The simulated agents work: wave 1 succeeds, wave 2 starts.
    const lab = [seed.devices['lab-pc-01']!, seed.devices['lab-pc-02']!];
    // (One report per step: once the first wave succeeds, the second wave's device has work too.)
    const runOne = async () => {
      for (const d of lab) if (await seed.bridge.runOnce(d)) return d;
      return null;
    };
    const firstWave = await runOne();
    expect(firstWave).not.toBeNull();
    await text(status.getByTestId('wave-0-succeeded'), '1');
    await text(status.getByTestId('deployment-progress'), /^Wave 2 of 2/);
    await text(status.getByTestId('wave-1-queued'), '1');

    // Pause and resume from the dashboard.
    await status.getByRole('button', { name: 'Pause' }).click();
    await text(status.getByTestId('deployment-state'), 'Paused');
    await status.getByRole('button', { name: 'Resume' }).click();
    await text(status.getByTestId('deployment-state'), 'Running');

    const secondWave = await runOne();
    expect(secondWave).not.toBeNull();
    expect(secondWave).not.toBe(firstWave);
    await text(status.getByTestId('total-succeeded'), '2');
    await text(status.getByTestId('deployment-state'), 'Completed');
    await text(page.getByTestId('deployment-table'), /Cura for the lab.*Completed/);
  });
});
