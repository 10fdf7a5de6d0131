/**
 * Rights that shrink reach an open browser (SPEC S-S6, S-L4, S-P7, S-P8): an org admin
 * removes a member in the admin screen while the member's app is open, and that org's
 * documents leave the member's screen and IndexedDB at once while the app keeps running
 * with the member's other org. Then a member whose role was lowered while offline comes
 * back: the edit the new role forbids needs attention, the one it allows syncs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestEnv, TestUser } from '../sync-server/test/support/testServer.js';
import { TEST_PASSWORD } from '../sync-server/test/support/testServer.js';
import { printerDoc, row } from '../sync-server/test/support/docs.js';
import { call } from '../sync-server/test/support/http.js';
import { startAppEnv } from './support/appServer.js';
import { launchChromium } from './support/browser.js';
import { indexedDbDump, newPage, signIn, text } from './support/pages.js';

let env: TestEnv;
let browser: Browser;
let admin: TestUser;
let member: TestUser;
let orgA = '';
let orgB = '';
const contexts: BrowserContext[] = [];
const alphaPrinter = printerDoc('', { name: 'Alpha Voron 2.4' });
const betaPrinter = printerDoc('', { name: 'Beta Bambu X1' });

beforeAll(async () => {
  env = await startAppEnv();
  orgA = await env.org('Alpha Lab');
  orgB = await env.org('Beta Lab');
  admin = await env.user('ada@labs.test', { [orgA]: 'admin', [orgB]: 'admin' });
  member = await env.user('max@labs.test', { [orgA]: 'operator', [orgB]: 'operator' });
  Object.assign(alphaPrinter, { orgId: orgA });
  Object.assign(betaPrinter, { orgId: orgB });
  const pushed = await call(env.url, '/api/sync/printers/push', {
    body: { rows: [row(alphaPrinter), row(betaPrinter)] },
    token: admin.token,
  });
  expect(pushed.status).toBe(200);
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await env?.stop();
});

/**
 * Records in the page's IndexedDB that still carry a document of the org: its org id or the
 * printer's name anywhere, or a row keyed by the printer's id (collection, replication meta,
 * attention). RxDB's upstream checkpoint may name the id of the last local change it saw;
 * that is bookkeeping, not the document.
 */
async function heldDocuments(page: Page, orgId: string, doc: { id: string; name: unknown }): Promise<string[]> {
  const stores = JSON.parse(await indexedDbDump(page)) as { db: string; store: string; all: Record<string, unknown>[] }[];
  const held: string[] = [];
  for (const { db, store, all } of stores) {
    for (const rec of all) {
      const json = JSON.stringify(rec);
      const keyed = rec.id === doc.id || rec.itemId === doc.id || rec.docId === doc.id;
      if (keyed || json.includes(orgId) || json.includes(String(doc.name))) held.push(`${db}/${store}: ${json.slice(0, 200)}`);
    }
  }
  return held;
}

async function open(email: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await newPage(context);
  await signIn(page, env.url, email, TEST_PASSWORD);
  return page;
}

describe('revocation reaches open replicas', () => {
  let memberPage: Page;

  it('removing a member takes that org off their open screen and out of IndexedDB', async () => {
    memberPage = await open(member.email);
    await memberPage.getByLabel('Organization').selectOption({ label: 'Alpha Lab' });
    await text(memberPage.getByTestId(`row-${alphaPrinter.id}`), /Alpha Voron/);
    expect(await indexedDbDump(memberPage)).toContain(alphaPrinter.id);

    const adminPage = await open(admin.email);
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await adminPage.getByRole('link', { name: 'Members' }).click();
    await adminPage.getByLabel('Organization to manage').selectOption({ label: 'Alpha Lab' });
    const memberRow = adminPage.getByTestId(`member-${member.id}`);
    await text(memberRow.locator('td[data-label="Email"]'), /max@labs\.test/);

    // The confirmation dialog: Escape closes it and focus returns to the button that opened it.
    const removeButton = memberRow.getByRole('button', { name: /Remove/ });
    await removeButton.click();
    const dialog = adminPage.getByRole('dialog', { name: 'Remove max@labs.test?' });
    await dialog.waitFor();
    await adminPage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => removeButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await removeButton.click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await memberRow.waitFor({ state: 'detached' });

    // The member's open app: the org disappears from the header and the lists, the other org takes over.
    const started = Date.now();
    await text(memberPage.getByTestId('org-name'), 'Beta Lab', 10_000);
    await text(memberPage.getByTestId(`row-${betaPrinter.id}`), /Beta Bambu/, 10_000);
    expect(await memberPage.getByTestId(`row-${alphaPrinter.id}`).count()).toBe(0);
    await expect.poll(() => heldDocuments(memberPage, orgA, alphaPrinter), { timeout: 10_000, interval: 250 }).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await indexedDbDump(memberPage)).toContain(betaPrinter.id);
  });

  it('edits made offline after a role was lowered: the forbidden one needs attention, the allowed one syncs', async () => {
    const page = memberPage;
    const context = page.context();
    await context.setOffline(true);
    await text(page.getByTestId('sync-status'), /Offline/);

    // As an operator: rename a printer and create a job, both offline.
    await page.getByRole('link', { name: 'Printers' }).click();
    await page.getByTestId(`row-${betaPrinter.id}`).getByRole('button', { name: /Edit/ }).click();
    await page.getByLabel('Name').fill('Beta Bambu (renamed offline)');
    await page.getByRole('button', { name: 'Save' }).click();
    await text(page.getByTestId(`row-${betaPrinter.id}`), /renamed offline/);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'New job' }).click();
    await page.getByLabel('Name').fill('Offline bracket');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'Offline bracket', exact: true }).waitFor();
    await text(page.getByTestId('pending-count'), '2');

    // Meanwhile the admin lowers the member to requester (may create own jobs, may not edit printers).
    const lowered = await admin.json(`/api/orgs/${orgB}/members/${member.id}`, { method: 'PUT', body: { role: 'requester' } });
    expect(lowered.status).toBe(200);

    await context.setOffline(false);
    await text(page.getByTestId('sync-status'), /Online/, 30_000);
    await text(page.getByTestId('pending-count'), '0', 30_000);

    await page.getByRole('link', { name: /Needs attention/ }).click();
    const item = page.getByTestId(`attention-${betaPrinter.id}`);
    await text(item.locator('code'), 'WRITE_FORBIDDEN');
    await text(item.locator('dd').nth(1), 'your role does not allow update on this printer');
    await text(page.getByTestId('attention-count'), '1');

    // The printer is back to the server's state; the role change reached the UI (no Edit button any more).
    await page.getByRole('link', { name: 'Printers' }).click();
    const printerRow = page.getByTestId(`row-${betaPrinter.id}`);
    await text(printerRow.locator('td').first(), /^Beta Bambu X1/);
    await expect.poll(() => printerRow.getByRole('button', { name: /Edit/ }).count()).toBe(0);
    const stored = await env.db.query("SELECT data->>'name' AS name FROM documents WHERE collection = 'printers' AND id = $1", [
      betaPrinter.id,
    ]);
    expect(stored.rows[0].name).toBe('Beta Bambu X1');

    await expect
      .poll(
        async () =>
          (
            await env.db.query(
              "SELECT org_id::text AS org, data->>'createdBy' AS by FROM documents WHERE collection = 'jobs' AND data->>'name' = 'Offline bracket'",
            )
          ).rows,
        { timeout: 10_000 },
      )
      .toEqual([{ org: orgB, by: member.id }]);
  });
});
