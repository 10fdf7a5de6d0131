/**
 * The measured scenarios. Each runs once, in a fresh replica where it uses one, against the
 * real endpoints; the clock covers the work a user waits for, not setup or teardown. Every
 * scenario gives up after `timeoutMs`, so a slow server cannot stretch the run.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { PullResponse } from '@fleetsync/shared';
import { createReplica, postJson, type Replica, type SyncTransport } from '@fleetsync/shared/sync';
import type { RunningServer } from '@fleetsync/sync-server';
import { measure, waitUntil, withTimeout, type MemoryPeak } from './measure.js';
import { benchPrinters, pushRaw } from './seed.js';
import { serverCount, type Tenant } from './server.js';

export interface Measurement {
  ms: number;
  memory: MemoryPeak;
  detail?: Record<string, number>;
}

export const RAW_PULL = 'raw HTTP pull (fetch loop, no RxDB)';
export const REPLICA_PULL = 'RxDB replica pull (memory storage)';
export const RAW_PUSH = 'raw HTTP push (fetch loop, no RxDB)';
export const REPLICA_PUSH = 'RxDB replica push (bulkInsert -> in sync)';

/** Batch sizes RxDB uses when none is given (shared/src/sync/replicateCollection.ts). */
export const DEFAULT_PULL_BATCH = 200;
export const DEFAULT_PUSH_BATCH = 100;
export const pushBatchOf = (batchSize?: number) => (batchSize ? Math.min(batchSize, 500) : DEFAULT_PUSH_BATCH);

/** A Node replica of `printers` in memory storage, no dev-mode, no schema validation. */
export async function benchReplica(transport: SyncTransport, batchSize?: number): Promise<Replica> {
  const id = randomBytes(4).toString('hex');
  return createReplica({
    name: `bench_${id}`,
    storage: getRxStorageMemory() as never,
    transport,
    collections: ['printers'],
    nodeId: `b${id}`,
    batchSize,
  });
}

/**
 * Stops syncing and removes the database: RxDB's memory storage keeps a closed database's
 * data for the life of the process, so `close()` alone would carry it into later scenarios.
 */
async function dispose(replica: Replica): Promise<void> {
  await replica.goOffline();
  await replica.db.remove();
}

const countLocal = (replica: Replica) => replica.collections.printers!.count().exec();

/** Baseline: a plain fetch loop over the pull endpoint, parsing every page, keeping nothing. */
export async function rawPull(t: Tenant, expected: number, limit: number, timeoutMs: number): Promise<Measurement> {
  const m = await measure(async () => {
    const t0 = performance.now();
    let checkpoint: PullResponse['checkpoint'] = null;
    let total = 0;
    const maxPages = Math.ceil(expected / limit) + 2;
    for (let page = 0; page < maxPages; page++) {
      // The page that confirms the end is always fetched; the deadline only cuts real progress.
      if (total < expected && performance.now() - t0 > timeoutMs)
        throw new Error(`timed out after ${Math.round(timeoutMs)} ms with ${total} of ${expected} documents`);
      const res: PullResponse = await postJson<PullResponse>(t.transport, '/api/sync/printers/pull', { checkpoint, limit });
      total += res.documents.length;
      checkpoint = res.checkpoint;
      if (res.documents.length < limit) break;
    }
    return total;
  });
  if (m.value !== expected) throw new Error(`raw pull got ${m.value} documents, expected ${expected}`);
  return m;
}

/** From replica creation until awaitInSync resolved and the local count is complete. */
export async function replicaPull(
  t: Tenant,
  expected: number,
  batchSize: number | undefined,
  timeoutMs: number,
): Promise<Measurement> {
  const opened: { replica?: Replica } = {};
  try {
    return await measure(async () => {
      const t0 = performance.now();
      const r = await benchReplica(t.transport, batchSize);
      opened.replica = r;
      const left = () => Math.max(1, timeoutMs - (performance.now() - t0));
      await withTimeout(r.awaitInSync(), left(), `replica pull of ${expected} documents`);
      await waitUntil(async () => (await countLocal(r)) === expected, left(), `${expected} local documents`);
    });
  } finally {
    if (opened.replica) await dispose(opened.replica);
  }
}

/** bulkInsert into a synced, empty replica; the clock stops when it is in sync and the server holds them all. */
export async function replicaPush(
  server: RunningServer,
  t: Tenant,
  count: number,
  batchSize: number | undefined,
  timeoutMs: number,
): Promise<Measurement> {
  const replica = await benchReplica(t.transport, batchSize);
  try {
    await withTimeout(replica.awaitInSync(), timeoutMs, 'initial sync of the push replica');
    const docs = benchPrinters(t.orgId, count);
    let insertMs = 0;
    const m = await measure(async () => {
      const t0 = performance.now();
      const res = await replica.collections.printers!.bulkInsert(docs);
      insertMs = performance.now() - t0;
      if (res.error.length > 0) throw new Error(`bulkInsert failed for ${res.error.length} documents`);
      const left = () => Math.max(1, timeoutMs - (performance.now() - t0));
      await withTimeout(replica.awaitInSync(), left(), 'replica push');
      await waitUntil(async () => (await serverCount(server, t.orgId)) === count, left(), `${count} server documents`, 100);
    });
    if (replica.rejections.length > 0) throw new Error(`the server rejected ${replica.rejections.length} pushed documents`);
    return { ...m, detail: { bulkInsertMs: Math.round(insertMs) } };
  } finally {
    await dispose(replica);
  }
}

/** Baseline: prepared rows POSTed to /push one batch at a time. */
export async function rawPush(
  server: RunningServer,
  t: Tenant,
  count: number,
  batch: number,
  timeoutMs: number,
): Promise<Measurement> {
  const docs = benchPrinters(t.orgId, count);
  const m = await measure(() => pushRaw(t.transport, docs, batch, timeoutMs));
  const stored = await serverCount(server, t.orgId);
  if (m.value !== count || stored !== count) throw new Error(`raw push stored ${stored} of ${count} documents`);
  return m;
}
