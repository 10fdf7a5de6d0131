/** What a person does in the PWA, in words of the UI (labels, roles, test ids). */
import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/printers`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await text(page.getByTestId('sync-status'), /Online/, 20_000);
}

/** Waits until the service worker controls the page (the app shell is precached). */
export async function serviceWorkerReady(page: Page): Promise<void> {
  await page
    .waitForFunction(
      async () => {
        const reg = await navigator.serviceWorker?.ready;
        return !!reg?.active && !!navigator.serviceWorker.controller;
      },
      undefined,
      { timeout: 20_000 },
    )
    .catch(async () => {
      // The first load is not controlled until the worker claims it; one reload settles it.
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 20_000 });
    });
}

/** Every record of every IndexedDB database of the page's origin, as one JSON string. */
export async function indexedDbDump(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        out.push({ db: info.name, store, all });
      }
      db.close();
    }
    return JSON.stringify(out);
  });
}

export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Waits until the element's text matches (a string matches exactly). */
export async function text(locator: Locator, want: RegExp | string, timeout = 20_000): Promise<void> {
  await expect
    .poll(async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '').trim() : ''), {
      timeout,
      interval: 100,
    })
    .toMatch(typeof want === 'string' ? new RegExp(`^${want.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : want);
}
