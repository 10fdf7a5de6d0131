/**
 * The print-farm screens end to end: bulk tagging on the fleet grid, printer commands and
 * their outcome from the bridge, the stop confirmation's focus handling, shared notes
 * (read-only for a viewer), model upload with the worker's metadata, queue reorder and bulk
 * cancel, and the chargeback CSV download.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { printerDoc } from '../sync-server/test/support/docs.js';
import { TEST_PASSWORD, type TestEnv } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { SAMPLE_GCODE, seedFarm, signInAt, type FarmSeed } from './support/farm.js';
import { text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
let seed: FarmSeed;
let bridgeToken: string;
const bench = printerDoc('', { name: 'Bench printer', status: 'printing', progress: 10, bridgeId: 'bench-bridge' });

beforeAll(async () => {
  env = await startAppEnv();
  seed = await seedFarm(env);
  await env.user('viewer@farm.test', { [seed.orgId]: 'viewer' });
  Object.assign(bench, { orgId: seed.orgId });
  expect((await seed.admin.api('/api/printers', { body: bench })).status).toBe(201);
  const token = await seed.admin.json<{ token: string }>('/api/tokens', {
    body: { name: 'bench', scopes: ['bridge'], expiresInDays: 1, orgId: seed.orgId, bridgeId: 'bench-bridge' },
  });
  bridgeToken = token.body.token;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

async function open(email = seed.admin.email, hash = '#/fleet'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await signInAt(page, env.url, email, TEST_PASSWORD, hash);
  return page;
}

/** The bridge reports a command's outcome (REST, same rules as sync). */
async function bridgeReports(commandId: string, patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env.url}/api/commands/${commandId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${bridgeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe('print-farm screens', () => {
  it('tags selected printers in bulk from the fleet grid', async () => {
    const page = await open();
    await page.getByRole('checkbox', { name: 'Select Ender-3 S1' }).check();
    await page.getByRole('checkbox', { name: 'Select Prusa XL' }).check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('dialog').getByLabel('Tag').fill('maintenance');
    await page.getByRole('dialog').getByRole('button', { name: 'Add tag' }).click();
    await text(page.getByTestId('bulk-outcomes'), /2 done/);
    await text(page.getByTestId(`printer-card-${seed.printers.ender}`), /maintenance/);
    await page.getByLabel('Tag', { exact: true }).selectOption('maintenance');
    await expect.poll(() => page.locator('[data-testid^="printer-card-"]').count()).toBe(2);

    // A state change reported by the bridge is announced politely.
    const patched = await seed.admin.api(`/api/printers/${seed.printers.ender}`, {
      method: 'PATCH',
      body: { status: 'printing', progress: 3 },
    });
    expect(patched.status).toBe(200);
    await text(page.getByTestId('fleet-announcer'), 'Ender-3 S1 is now Printing.');
    expect(await page.getByTestId('fleet-announcer').getAttribute('aria-live')).toBe('polite');
    await page.context().close();
  });

  it('sends commands, shows the bridge outcome, and confirms Stop in a focus-trapping dialog', async () => {
    const page = await open(seed.admin.email, `#/printers/${bench.id}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    const pause = page.locator('li.command', { hasText: 'Pause' });
    await text(pause, /Pending/);
    const id = ((await pause.getAttribute('data-testid')) ?? '').replace('command-', '');
    await expect.poll(async () => (await seed.admin.api(`/api/commands/${id}`)).status, { timeout: 20_000 }).toBe(200);
    await bridgeReports(id, { status: 'acknowledged', acknowledgedAt: new Date().toISOString() });
    await text(pause, /Acknowledged/);
    await bridgeReports(id, { status: 'failed', resultCode: 'NOT_PRINTING', resultMessage: 'The printer is not printing' });
    await text(pause, /Failed.*Reason: The printer is not printing/);

    await page.getByRole('button', { name: 'Stop' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Stop Bench printer?' });
    await dialog.waitFor();
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Stop');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Stop print' }).click();
    await text(page.locator('li.command', { hasText: 'Stop' }), /Pending/);
    await page.context().close();
  });

  it('shares notes live; a viewer reads them but may not edit', async () => {
    const hash = `#/printers/${seed.printers.mk4}`;
    const admin = await open(seed.admin.email, hash);
    await text(admin.locator('.notes [role="status"]'), /Live/);
    await admin.getByTestId('printer-notes').fill('Bed re-levelled; use the textured sheet.');
    const viewer = await open('viewer@farm.test', hash);
    await expect.poll(() => viewer.getByTestId('printer-notes').inputValue()).toBe('Bed re-levelled; use the textured sheet.');
    await text(viewer.locator('.notes-readonly'), 'Notes are read-only for you.');
    expect(await viewer.getByTestId('printer-notes').getAttribute('readonly')).not.toBeNull();
    await viewer
      .getByRole('button', { name: 'Pause' })
      .count()
      .then((n) => expect(n).toBe(0));
    await admin.context().close();
    await viewer.context().close();
  });

  it('reads a G-code file in the worker, uploads it as a model, then as a new revision', async () => {
    const page = await open(seed.admin.email, '#/models');
    // Drag and drop…
    const dropped = await page.evaluateHandle((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped.gcode'));
      return data;
    }, SAMPLE_GCODE);
    await page.getByTestId('file-drop').dispatchEvent('drop', { dataTransfer: dropped });
    await text(page.locator('.upload-form h3'), /dropped\.gcode/);
    // …or the file input.
    const file = { name: 'bracket.gcode', mimeType: 'text/plain', buffer: Buffer.from(SAMPLE_GCODE) };
    await page.getByLabel('Choose a G-code or 3MF file').setInputFiles(file);
    const form = page.locator('.upload-form');
    await text(form, /Estimated time\s*1 h 2 min/);
    await text(form, /Filament type\s*PETG/);
    await text(form, /Printer model\s*MK4/);
    await text(form, /Nozzle\s*0.4 mm/);
    await text(form, /Bed size\s*250 × 210 mm/);
    await page.getByLabel('Model name').fill('Bracket');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await text(page.locator('.upload-panel [role="status"]'), /Uploaded bracket.gcode to Bracket as revision 1/);

    await page.getByLabel('Choose a G-code or 3MF file').setInputFiles({ ...file, name: 'bracket-v2.gcode' });
    await page.getByLabel('Upload as').selectOption({ label: 'New revision of Bracket' });
    await page.getByLabel('Changelog').fill('Thicker walls');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await text(page.locator('.upload-panel [role="status"]'), /as revision 2/);
    const revisions = page.locator('.model-item', { hasText: 'Bracket' }).locator('.revision-list');
    await text(revisions, /Revision 2.*bracket-v2.gcode.*Thicker walls/s);
    await page.context().close();
  });

  it('reorders the queue and cancels jobs in bulk with per-item outcomes', async () => {
    const page = await open(seed.admin.email, '#/queue');
    const rows = page.locator('[data-testid^="queue-row-"]');
    await text(rows.first(), /Bracket set/);
    await page.getByRole('button', { name: 'Move up Gear housing v3' }).click();
    await text(rows.first(), /Gear housing v3/);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Move down/);

    await page.getByRole('checkbox', { name: 'Select Bracket set' }).check();
    await page.getByRole('checkbox', { name: 'Select Cable clips ×40' }).check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Cancel jobs' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Change priority');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel jobs' }).click();
    await text(page.getByTestId('bulk-outcomes'), /2 done/);
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Show').selectOption('finished');
    await text(page.locator('[data-testid^="queue-row-"]', { hasText: 'Bracket set' }), /Cancelled/);
    await page.context().close();
  });

  it('downloads the chargeback CSV with the bearer token', async () => {
    const page = await open(seed.admin.email, '#/reports');
    await page.getByTestId('spend-me').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = await download.path();
    expect((await readFile(path, 'utf8')).split('\n')[0]).toMatch(/"total"/);
    await text(page.locator('.download-buttons [role="status"]'), 'Downloaded the CSV file.');
    await page.context().close();
  });
});
