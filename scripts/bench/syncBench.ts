/**
 * The measured scenarios. Each runs once, in a fresh replica where it uses one, against the
 * real endpoints; the clock covers the work a user waits for, not setup or teardown.
 */
import { randomBytes } from 'node:crypto';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { PullResponse } from '@fleetsync/shared';
import { createReplica, postJson, type Replica, type SyncTransport } from '@fleetsync/shared/sync';
import type { RunningServer } from '@fleetsync/sync-server';
import { measure, waitUntil, withTimeout, type MemoryPeak } from './measure.js';
import { benchPrinters, pushRaw } from './seed.js';
import { serverCount, type Tenant } from './server.js';

export interface ScenarioResult {
  /** Scenarios in one group are compared with the group's baseline. */
  group: string;
  name: string;
  baseline: boolean;
  docs: number;
  batchSize: number;
  ms: number;
  docsPerSec: number;
  memory: MemoryPeak;
  /** docs/s of every run when the scenario was repeated (the row shows the median run). */
  runs?: number[];
  detail?: Record<string, number>;
}

/**
 * Runs a scenario `times` times (each in a fresh replica / org) and keeps the median run by
 * time, with the highest memory peaks of all runs and every run's docs/s.
 */
export async function repeated(times: number, run: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const all: ScenarioResult[] = [];
  for (let i = 0; i < times; i++) all.push(await run());
  const sorted = [...all].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const memory = { ...median.memory };
  for (const r of all) {
    memory.peakRssMb = Math.max(memory.peakRssMb, r.memory.peakRssMb);
    memory.peakHeapUsedMb = Math.max(memory.peakHeapUsedMb, r.memory.peakHeapUsedMb);
    memory.maxSampleGapMs = Math.max(memory.maxSampleGapMs, r.memory.maxSampleGapMs);
  }
  return { ...median, memory, runs: all.map((r) => r.docsPerSec) };
}

/** RxDB pull batch size when none is given (shared/src/sync/replicateCollection.ts). */
export const DEFAULT_PULL_BATCH = 200;
export const DEFAULT_PUSH_BATCH = 100;

function result(group: string, name: string, baseline: boolean, docs: number, batchSize: number, ms: number, memory: MemoryPeak) {
  return { group, name, baseline, docs, batchSize, ms: Math.round(ms), docsPerSec: Math.round((docs * 1000) / ms), memory };
}

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

async function countLocal(replica: Replica): Promise<number> {
  return replica.collections.printers!.count().exec();
}

/** Baseline: a plain fetch loop over the pull endpoint, parsing every page, keeping nothing. */
export async function rawPull(group: string, t: Tenant, expected: number, limit: number): Promise<ScenarioResult> {
  const m = await measure(async () => {
    let checkpoint: PullResponse['checkpoint'] = null;
    let total = 0;
    const maxPages = Math.ceil(expected / limit) + 2;
    for (let page = 0; page < maxPages; page++) {
      const res: PullResponse = await postJson<PullResponse>(t.transport, '/api/sync/printers/pull', { checkpoint, limit });
      total += res.documents.length;
      checkpoint = res.checkpoint;
      if (res.documents.length < limit) break;
    }
    return total;
  });
  if (m.value !== expected) throw new Error(`bench: raw pull got ${m.value} documents, expected ${expected}`);
  return result(group, 'raw HTTP pull (fetch loop, no RxDB)', true, expected, limit, m.ms, m.memory);
}

/** From replica creation until awaitInSync resolved and the local count is complete. */
export async function replicaPull(group: string, t: Tenant, expected: number, batchSize: number | undefined, timeoutMs: number) {
  const opened: { replica?: Replica } = {};
  try {
    const m = await measure(async () => {
      const r = await benchReplica(t.transport, batchSize);
      opened.replica = r;
      await withTimeout(r.awaitInSync(), timeoutMs, 'replica pull');
      await waitUntil(async () => (await countLocal(r)) === expected, timeoutMs, `${expected} local documents`);
    });
    return result(group, 'RxDB replica pull (memory storage)', false, expected, batchSize ?? DEFAULT_PULL_BATCH, m.ms, m.memory);
  } finally {
    if (opened.replica) await dispose(opened.replica);
  }
}

/** bulkInsert into a synced, empty replica; the clock stops when it is in sync and the server holds them all. */
export async function replicaPush(
  group: string,
  server: RunningServer,
  t: Tenant,
  count: number,
  batchSize: number | undefined,
  timeoutMs: number,
) {
  const replica = await benchReplica(t.transport, batchSize);
  try {
    await withTimeout(replica.awaitInSync(), timeoutMs, 'initial sync of the push replica');
    const docs = benchPrinters(t.orgId, count);
    let insertMs = 0;
    const m = await measure(async () => {
      const t0 = performance.now();
      const res = await replica.collections.printers!.bulkInsert(docs);
      insertMs = performance.now() - t0;
      if (res.error.length > 0) throw new Error(`bench: bulkInsert failed for ${res.error.length} documents`);
      await withTimeout(replica.awaitInSync(), timeoutMs, 'replica push');
      await waitUntil(async () => (await serverCount(server, t.orgId)) === count, timeoutMs, `${count} server documents`, 100);
    });
    if (replica.rejections.length > 0)
      throw new Error(`bench: the server rejected ${replica.rejections.length} pushed documents`);
    const pushBatch = batchSize ? Math.min(batchSize, 500) : DEFAULT_PUSH_BATCH;
    return {
      ...result(group, 'RxDB replica push (bulkInsert -> in sync)', false, count, pushBatch, m.ms, m.memory),
      detail: { bulkInsertMs: Math.round(insertMs) },
    };
  } finally {
    await dispose(replica);
  }
}

/** Baseline: prepared rows POSTed to /push one batch at a time. */
export async function rawPush(
  group: string,
  server: RunningServer,
  t: Tenant,
  count: number,
  batch: number,
): Promise<ScenarioResult> {
  const docs = benchPrinters(t.orgId, count);
  const m = await measure(() => pushRaw(t.transport, docs, batch));
  const stored = await serverCount(server, t.orgId);
  if (m.value !== count || stored !== count) throw new Error(`bench: raw push stored ${stored} of ${count} documents`);
  return result(group, 'raw HTTP push (fetch loop, no RxDB)', true, count, batch, m.ms, m.memory);
}
