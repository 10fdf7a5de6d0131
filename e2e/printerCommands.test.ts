/**
 * Commands as documents, end to end (device bridge issue, must-show 6): in the PWA, pause a
 * simulated printer and watch the command go pending -> succeeded and the printer read paused;
 * then resume while the browser is offline and see it run after reconnecting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startBridge, type RunningBridge } from '../device-bridge/src/index.js';
import { createSimulator } from '../device-bridge/src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../device-bridge/src/simulators/deviceSimulator.js';
import { printerDoc } from '../sync-server/test/support/docs.js';
import { TEST_PASSWORD, type TestEnv } from '../sync-server/test/support/testServer.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { signInAt } from './support/farm.js';
import { text } from './support/pages.js';

const LONG = 60_000;
let env: TestEnv;
let sim: DeviceSimulator;
let bridge: RunningBridge;
let browser: Browser;
let dataDir: string;
const printer = printerDoc('', { name: 'Voron bay 3', model: 'Voron 2.4', protocol: 'moonraker', bridgeId: 'bay-3' });

beforeAll(async () => {
  env = await startAppEnv();
  const orgId = await env.org('Commands Lab');
  const admin = await env.user('lead@commands.test', { [orgId]: 'admin' });
  await env.user('operator@commands.test', { [orgId]: 'operator' });
  sim = createSimulator('moonraker', { timeScale: 1 });
  await sim.start();
  Object.assign(printer, { orgId, host: `127.0.0.1:${sim.port}` });
  expect((await admin.api('/api/printers', { body: printer })).status).toBe(201);
  const { apiKey } = sim.adapterConfig() as { apiKey: string };
  expect((await admin.api(`/api/printers/${printer.id}/credentials`, { method: 'PUT', body: { apiKey } })).status).toBe(204);
  const token = await admin.json<{ token: string }>('/api/tokens', {
    body: { name: 'bay 3', scopes: ['bridge'], expiresInDays: 1, orgId, bridgeId: 'bay-3' },
  });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-e2e-commands-'));
  bridge = await startBridge({
    serverUrl: env.url,
    token: token.body.token,
    bridgeId: 'bay-3',
    siteName: 'Bay 3',
    dataDir,
    heartbeatMs: 2_000,
    coalesceMs: 300,
    deviceReconnect: { initialMs: 100, maxMs: 500 },
  });
  // A long print, so it is still running when the operator pauses it.
  sim.printer.startJob('frame-corner.gcode');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await bridge?.stop();
  await sim?.stop();
  await env?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('printer commands from the PWA', () => {
  it('pause runs on the device with its state shown; a resume made offline runs after reconnecting', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(LONG);
    await signInAt(page, env.url, 'operator@commands.test', TEST_PASSWORD, `#/printers/${printer.id}`);
    await text(page.locator('.telemetry-status'), /Printing/, LONG);

    await page.getByRole('button', { name: 'Pause' }).click();
    await text(page.getByTestId('command-list').locator('li').first(), /Pause[\s\S]*Succeeded/, LONG);
    await text(page.locator('.telemetry-status'), /Paused/, LONG);
    expect(sim.printer.snapshot().phase).toBe('paused');

    await context.setOffline(true);
    await text(page.getByTestId('sync-status'), /Offline/);
    await page.getByRole('button', { name: 'Resume' }).click();
    await text(page.getByTestId('command-list').locator('li').first(), /Resume[\s\S]*Pending/);
    expect(sim.printer.snapshot().phase).toBe('paused');

    await context.setOffline(false);
    await text(page.getByTestId('command-list').locator('li').first(), /Resume[\s\S]*Succeeded/, LONG);
    await text(page.locator('.telemetry-status'), /Printing/, LONG);
    expect(sim.printer.snapshot().phase).toBe('printing');
    await context.close();
  });
});
