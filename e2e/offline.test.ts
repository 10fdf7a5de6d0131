/**
 * Foundation e2e (SPEC S-C1, S-S1): sign in, go offline, reload from the service worker with
 * the local data, edit, come back online; a second browser of the same org sees the edit, a
 * user of another org never does (neither on screen nor in IndexedDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestEnv } from '../sync-server/test/support/testServer.js';
import { TEST_PASSWORD } from '../sync-server/test/support/testServer.js';
import { printerDoc, row } from '../sync-server/test/support/docs.js';
import { call } from '../sync-server/test/support/http.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { indexedDbDump, newPage, serviceWorkerReady, signIn, text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
const printer = printerDoc('', { name: 'Bench MK4' });

beforeAll(async () => {
  env = await startAppEnv();
  const orgA = await env.org('Lab A');
  const orgB = await env.org('Lab B');
  const alice = await env.user('alice@lab-a.test', { [orgA]: 'admin' });
  await env.user('amy@lab-a.test', { [orgA]: 'operator' });
  await env.user('bob@lab-b.test', { [orgB]: 'admin' });
  Object.assign(printer, { orgId: orgA });
  await call(env.url, '/api/sync/printers/push', { body: { rows: [row(printer)] }, token: alice.token });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await env?.stop();
});

describe('offline-first PWA', () => {
  it('works offline after a reload, syncs the edit back, and keeps it inside the org', async () => {
    const ctxA = await browser.newContext();
    const page = await newPage(ctxA);
    await signIn(page, env.url, 'alice@lab-a.test', TEST_PASSWORD);
    await text(page.getByTestId(`row-${printer.id}`), /Bench MK4/);
    await serviceWorkerReady(page);

    await ctxA.setOffline(true);
    await page.reload();
    await text(page.getByTestId('sync-status'), /Offline/);
    await text(page.getByTestId(`row-${printer.id}`), /Bench MK4/);

    await page.getByTestId(`row-${printer.id}`).getByRole('button', { name: /Edit/ }).click();
    await page.getByLabel('Name').fill('Bench MK4 (offline edit)');
    await page.getByRole('button', { name: 'Save' }).click();
    await text(page.getByTestId(`row-${printer.id}`), /offline edit/);
    await text(page.getByTestId('pending-count'), '1');

    await ctxA.setOffline(false);
    await text(page.getByTestId('sync-status'), /Online/, 30_000);
    await text(page.getByTestId('pending-count'), '0', 30_000);
    const stored = await env.db.query("SELECT data->>'name' AS name FROM documents WHERE collection = 'printers' AND id = $1", [
      printer.id,
    ]);
    expect(stored.rows[0].name).toBe('Bench MK4 (offline edit)');

    const ctxAmy = await browser.newContext();
    const amy = await newPage(ctxAmy);
    await signIn(amy, env.url, 'amy@lab-a.test', TEST_PASSWORD);
    await text(amy.getByTestId(`row-${printer.id}`), /offline edit/);

    const ctxBob = await browser.newContext();
    const bob = await newPage(ctxBob);
    await signIn(bob, env.url, 'bob@lab-b.test', TEST_PASSWORD);
    await bob.getByRole('heading', { name: 'Printers' }).waitFor();
    expect(await bob.getByTestId(`row-${printer.id}`).count()).toBe(0);
    const dump = await indexedDbDump(bob);
    expect(dump.length).toBeGreaterThan(10);
    expect(dump).not.toContain(printer.id);
    expect(dump).not.toContain('Bench MK4');

    await Promise.all([ctxA.close(), ctxAmy.close(), ctxBob.close()]);
  });
});
