/** Node replicas for tests: RxDB in memory, dev-mode with schema validation. */
import { randomBytes } from 'node:crypto';
import { addRxPlugin } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { CollectionName } from '@fleetsync/shared';
import { createReplica, type Replica } from '@fleetsync/shared/sync';

let devMode = false;
export function enableDevMode(): void {
  if (devMode) return;
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
  devMode = true;
}

export async function nodeReplica(
  baseUrl: string,
  token: string,
  collections: CollectionName[],
  opts: { live?: boolean; dev?: boolean; batchSize?: number } = {},
): Promise<Replica> {
  const dev = opts.dev ?? true;
  if (dev) enableDevMode();
  const id = randomBytes(4).toString('hex');
  return createReplica({
    name: `replica_${id}`,
    storage: (dev ? wrappedValidateAjvStorage({ storage: getRxStorageMemory() }) : getRxStorageMemory()) as never,
    transport: { baseUrl, getToken: () => token },
    collections,
    nodeId: `n${id}`,
    live: opts.live,
    batchSize: opts.batchSize,
  });
}

/** Polls until `check` passes or the deadline; tests wait for outcomes, not for fixed sleeps. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
