/**
 * Auto-queue end to end, in Chromium: a real G-code file uploaded through the Models page (its
 * metadata shown), a job queued to an auto-queue printer served by a real device bridge
 * (in-process `startBridge`) and a time-scaled Moonraker simulator, printed to completion; the
 * printer then waits for its bed, "Mark bed cleared" on the printer page lets the next queued job
 * start by itself, and a job whose file needs a bigger bed (and another filament) stays queued
 * with its hold reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startBridge, type RunningBridge } from '../device-bridge/src/index.js';
import { createSimulator } from '../device-bridge/src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../device-bridge/src/simulators/deviceSimulator.js';
import { printerDoc } from '../sync-server/test/support/docs.js';
import { TEST_PASSWORD, type TestEnv, type TestUser } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { signInAt } from './support/farm.js';
import { text } from './support/pages.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = path.join(ROOT, 'shared', 'test', 'fixtures', 'gcode');
const BRIDGE_ID = 'bay-1';
const PRINTER_NAME = 'Prusa MK3S+ bay 1';
/** A loaded machine: every wait is bounded and polled. */
const LONG = 90_000;

let env: TestEnv;
let admin: TestUser;
let sim: DeviceSimulator;
let bridge: RunningBridge;
let browser: Browser;
let dataDir: string;
const printer = printerDoc('', {
  name: PRINTER_NAME,
  model: 'Original Prusa MK3S+',
  protocol: 'moonraker',
  bridgeId: BRIDGE_ID,
  bedWidthMm: 220,
  bedDepthMm: 220,
  nozzleDiameter: 0.4,
  loadedMaterial: 'PETG',
  autoQueue: true,
  tags: ['bay-1'],
});

beforeAll(async () => {
  env = await startAppEnv();
  const orgId = await env.org('Auto-queue Lab');
  admin = await env.user('queue.lead@farm.test', { [orgId]: 'admin' });
  // 100 simulated seconds per second: the cube's 17 min 42 s print takes about 11 s.
  sim = createSimulator('moonraker', { timeScale: 100 });
  await sim.start();
  Object.assign(printer, { orgId, host: `127.0.0.1:${sim.port}` });
  expect((await admin.api('/api/printers', { body: printer })).status).toBe(201);
  const { apiKey } = sim.adapterConfig() as { apiKey: string };
  const creds = await admin.api(`/api/printers/${printer.id}/credentials`, { method: 'PUT', body: { apiKey } });
  expect(creds.status).toBe(204);
  const token = await admin.json<{ token: string }>('/api/tokens', {
    body: { name: 'bay bridge', scopes: ['bridge'], expiresInDays: 1, orgId, bridgeId: BRIDGE_ID },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-e2e-autoqueue-'));
  bridge = await startBridge({
    serverUrl: env.url,
    token: token.body.token,
    bridgeId: BRIDGE_ID,
    siteName: 'Bay',
    dataDir,
    heartbeatMs: 2_000,
    coalesceMs: 300,
    autoQueuePollMs: 500,
    deviceReconnect: { initialMs: 100, maxMs: 500 },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await bridge?.stop();
  await sim?.stop();
  await env?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const go = (page: Page, hash: string) => page.evaluate((h) => void (window.location.hash = h), hash);
const row = (page: Page, name: string) => page.locator('[data-testid^="queue-row-"]', { hasText: name });
const jobIdOf = async (page: Page, name: string) =>
  ((await row(page, name).getAttribute('data-testid')) ?? '').replace('queue-row-', '');

async function uploadModel(page: Page, file: string, name: string, facts: RegExp[]): Promise<void> {
  await page.getByLabel('Choose a G-code or 3MF file').setInputFiles(path.join(FIXTURES, file));
  const form = page.locator('.upload-form');
  for (const fact of facts) await text(form, fact);
  await page.getByLabel('Model name').fill(name);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await text(
    page.locator('.upload-panel [role="status"]'),
    new RegExp(`Uploaded ${file.replace('.', '\\.')} to ${name} as revision 1`),
  );
}

async function submitJob(page: Page, opts: { model: string; file: string; name: string; printer: string; priority?: string }) {
  const form = page.locator('section.submit-job');
  await form.getByLabel('Model').selectOption({ label: opts.model });
  // The revision list loads for the chosen model; the newest revision is pinned.
  await expect
    .poll(() => form.getByLabel('Revision').locator('option').first().textContent(), { timeout: 20_000 })
    .toContain(opts.file);
  await form.getByLabel('Job name').fill(opts.name);
  await form.getByLabel('Printer').selectOption({ value: opts.printer });
  if (opts.priority) await form.getByLabel('Priority').selectOption({ label: opts.priority });
  await form.getByRole('button', { name: 'Submit job' }).click();
  await text(page.getByTestId('submit-status'), `Job “${opts.name}” queued.`);
}

describe('auto-queue', () => {
  it('prints an uploaded G-code file, waits for the bed, then starts the next job; an incompatible job is held', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signInAt(page, env.url, admin.email, TEST_PASSWORD, '#/models');

    // Real PrusaSlicer files: the worker reads their metadata before anything is sent.
    await uploadModel(page, 'cube20.gcode', 'Cube', [
      /Estimated time\s*17 min/,
      /Filament type\s*PETG/,
      /Nozzle\s*0.4 mm/,
      /Bed size\s*200 × 200 mm/,
    ]);
    await uploadModel(page, 'cyl15_mk3s_pla.gcode', 'Cylinder', [
      /Printer model\s*MK3S/,
      /Filament type\s*PLA/,
      /Bed size\s*250 × 210 mm/,
    ]);

    // Queued to the (idle, auto-queue) printer: the bridge sends it and the printer prints it to the end.
    await go(page, '#/queue');
    await submitJob(page, { model: 'Cube', file: 'cube20.gcode', name: 'Cube #1', printer: printer.id });
    await text(row(page, 'Cube #1').locator('.job-status'), 'Printing', LONG);
    await go(page, `#/printers/${printer.id}`);
    await text(page.locator('.telemetry-status'), /Printing|Heating/, LONG);
    await text(page.locator('.telemetry-status'), /Job: Cube #1/);
    // Done: the printer waits for someone to clear the bed.
    await text(page.getByTestId('printer-status'), 'Finished – clear the bed', LONG);

    await go(page, '#/queue');
    await page.getByLabel('Show').selectOption('all');
    await text(row(page, 'Cube #1').locator('.job-status'), 'Done', LONG);
    const first = await jobIdOf(page, 'Cube #1');

    // Two more while the bed is not cleared: one needs a bigger bed and PLA (urgent), one fits.
    await submitJob(page, { model: 'Cylinder', file: 'cyl15_mk3s_pla.gcode', name: 'Cylinder', printer: '', priority: 'Urgent' });
    await submitJob(page, { model: 'Cube', file: 'cube20.gcode', name: 'Cube #2', printer: '' });
    await text(row(page, 'Cube #2').locator('.job-status'), 'Queued');
    const cylinder = await jobIdOf(page, 'Cylinder');
    const second = await jobIdOf(page, 'Cube #2');
    expect(await page.getByTestId(`hold-reason-${cylinder}`).count()).toBe(0);

    // Clearing the bed on the printer page lets the next compatible job start by itself.
    await go(page, `#/printers/${printer.id}`);
    await text(page.getByTestId('printer-status'), 'Finished – clear the bed');
    await page.getByRole('button', { name: 'Mark bed cleared' }).click();
    await text(page.locator('li.command', { hasText: 'Mark bed cleared' }), /Succeeded/, LONG);
    await text(page.getByTestId('printer-status'), /Heating|Printing/, LONG);
    await text(page.locator('.telemetry-status'), /Job: Cube #2/, LONG);

    await go(page, '#/queue');
    await page.getByLabel('Show').selectOption('all');
    await text(row(page, 'Cube #2').locator('.job-status'), /Printing|Done/, LONG);
    await text(row(page, 'Cylinder').locator('.job-status'), 'Queued');
    await text(
      page.getByTestId(`hold-reason-${cylinder}`),
      /^Held: Not compatible with Prusa MK3S\+ bay 1: .*needs a 250 x 210 mm bed, this printer has 220 x 220 mm/,
      LONG,
    );
    await text(page.getByTestId(`hold-reason-${cylinder}`), /needs PLA, loaded: PETG/);

    // The incompatible file never reached the printer; the others went as <jobId>.gcode.
    expect(sim.files.names()).toEqual([`${first}.gcode`, `${second}.gcode`]);
    await text(row(page, 'Cube #2').locator('.job-status'), 'Done', LONG);
    await context.close();
  }, 400_000);
});
