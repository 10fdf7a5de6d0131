/**
 * IndexedDB storage through Dexie. Development builds add RxDB's dev-mode checks, which
 * require a schema-validating storage; production builds ship neither.
 */
import { addRxPlugin, type RxStorage } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';

let prepared: Promise<RxStorage<unknown, unknown>> | null = null;

async function prepare(): Promise<RxStorage<unknown, unknown>> {
  addRxPlugin(RxDBLeaderElectionPlugin);
  const dexie = getRxStorageDexie() as RxStorage<unknown, unknown>;
  if (import.meta.env.DEV) {
    const [{ RxDBDevModePlugin }, { wrappedValidateAjvStorage }] = await Promise.all([
      import('rxdb/plugins/dev-mode'),
      import('rxdb/plugins/validate-ajv'),
    ]);
    addRxPlugin(RxDBDevModePlugin);
    return wrappedValidateAjvStorage({ storage: dexie }) as RxStorage<unknown, unknown>;
  }
  return dexie;
}

/** The storage every local database uses; plugins are added once per page. */
export function appStorage(): Promise<RxStorage<unknown, unknown>> {
  prepared ??= prepare();
  return prepared;
}
