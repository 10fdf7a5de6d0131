/**
 * Benchmark documents and the two ways to get them onto the server: through the real push
 * endpoint, or (for the 100k pull data set) straight into Postgres with the same store
 * functions the push transaction uses (`allocateSeqs` + `writeDocs`), which skips per-row
 * validation and write rules but produces identical rows, sequence numbers and notices.
 */
import { performance } from 'node:perf_hooks';
import { newId, type PushResponse } from '@fleetsync/shared';
import { postJson, type SyncTransport } from '@fleetsync/shared/sync';
import type { RunningServer } from '@fleetsync/sync-server';
import { withScope } from '../../sync-server/src/db/scope.js';
import { allocateSeqs, writeDocs } from '../../sync-server/src/sync/documentStore.js';

const PROTOCOLS = ['bambu', 'moonraker', 'prusalink', 'octoprint'] as const;
const STATUSES = ['offline', 'idle', 'printing', 'paused', 'finished'] as const;

/** A valid printer (shared printer schema) of realistic size, varied by index. */
export function benchPrinter(orgId: string, i: number): Record<string, unknown> & { id: string } {
  const clock = `${String(Date.now()).padStart(13, '0')}:00000:bench`;
  return {
    id: newId(),
    orgId,
    clock: { name: clock, status: clock, progress: clock },
    name: `Bench printer #${i}`,
    model: i % 2 === 0 ? 'Original Prusa MK4' : 'Bambu Lab X1C',
    protocol: PROTOCOLS[i % PROTOCOLS.length],
    host: `10.0.${(i >> 8) & 255}.${i & 255}`,
    location: `Lab ${i % 12}`,
    status: STATUSES[i % STATUSES.length],
    progress: i % 101,
    nozzleDiameter: 0.4,
    bedWidthMm: 250,
    bedDepthMm: 210,
    tags: ['bench', `rack-${i % 40}`],
    autoQueue: i % 3 === 0,
  };
}

export function benchPrinters(orgId: string, count: number, from = 0): ReturnType<typeof benchPrinter>[] {
  return Array.from({ length: count }, (_, k) => benchPrinter(orgId, from + k));
}

/** Pushes documents as creates through POST /push, `batch` rows per request, one request at a time. */
export async function pushRaw(
  transport: SyncTransport,
  docs: Record<string, unknown>[],
  batch: number,
  timeoutMs = 120_000,
): Promise<number> {
  let accepted = 0;
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += batch) {
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`timed out after ${Math.round(timeoutMs)} ms with ${accepted} of ${docs.length} documents pushed`);
    const rows = docs.slice(i, i + batch).map((d) => ({ assumedMasterState: null, newDocumentState: { ...d, _deleted: false } }));
    const res = await postJson<PushResponse>(transport, '/api/sync/printers/push', { rows });
    if (res.rejections.length > 0 || res.conflicts.length > 0) {
      const first = res.rejections[0];
      throw new Error(
        `bench: push refused ${res.rejections.length} rows, ${res.conflicts.length} conflicts (${first?.code}: ${first?.message})`,
      );
    }
    accepted += rows.length;
  }
  return accepted;
}

/** Writes `count` printers for one org directly, `chunk` documents per transaction (row-level scope: that org). */
export async function seedBySql(
  server: RunningServer,
  orgId: string,
  userId: string,
  count: number,
  chunk = 5000,
): Promise<number> {
  for (let from = 0; from < count; from += chunk) {
    const n = Math.min(chunk, count - from);
    const now = new Date().toISOString();
    await withScope(server.db, { all: false, orgIds: [orgId] }, async (c) => {
      const first = await allocateSeqs(c, n);
      const docs = benchPrinters(orgId, n, from).map((d, k) => ({
        id: d.id,
        orgId,
        data: { ...d, createdBy: userId, createdAt: now, updatedBy: userId, updatedAt: now },
        deleted: false,
        seq: first + k,
      }));
      await writeDocs(c, 'printers', docs);
    });
  }
  return count;
}
