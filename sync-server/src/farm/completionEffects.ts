/**
 * Push hook, after a batch of jobs is decided: each job that reached `done` in it has its
 * filament deducted from the spool it was charged to (`costDetail.spoolId`), as a server write
 * of the spool document (new sequence number, field clock advanced) in the same transaction.
 * The remaining weight never goes below zero.
 *
 * Lock order: job rows (locked by the push), then spool rows (in id order), then the sequence
 * counter; a spools push takes spool rows then the counter, so the two never wait on each other
 * in a cycle.
 */
import { createHlc, stampChangedFields, type Principal, type ResourceKind } from '@fleetsync/shared';
import type { DbClient } from '../db/pool.js';
import { allocateSeqs, writeDocs, type StoredDoc } from '../sync/documentStore.js';

const hlc = createHlc('farm');

export async function applyJobCompletionEffects(
  c: DbClient,
  kind: ResourceKind,
  principal: Principal,
  accepted: readonly Omit<StoredDoc, 'seq'>[],
  before: ReadonlyMap<string, StoredDoc>,
): Promise<void> {
  if (kind !== 'jobs') return;
  const grams = new Map<string, number>();
  for (const doc of accepted) {
    const prev = before.get(doc.id);
    if (!prev || prev.deleted || doc.deleted) continue;
    if (prev.data.status === 'done' || doc.data.status !== 'done') continue;
    const detail = doc.data.costDetail as { spoolId?: string; grams?: number } | undefined;
    if (!detail?.spoolId || !detail.grams || detail.grams <= 0) continue;
    grams.set(detail.spoolId, (grams.get(detail.spoolId) ?? 0) + detail.grams);
  }
  if (grams.size === 0) return;

  const rows = await c.query<{ id: string; org_id: string; data: Record<string, unknown> }>(
    "SELECT id, org_id, data FROM documents WHERE collection = 'spools' AND id = ANY($1::text[]) AND NOT deleted ORDER BY id FOR UPDATE",
    [[...grams.keys()]],
  );
  if (rows.rows.length === 0) return;
  const now = new Date().toISOString();
  const docs = rows.rows.map((r) => {
    const remaining = Number(r.data.remainingGrams ?? 0);
    const next: Record<string, unknown> = {
      ...r.data,
      remainingGrams: Math.max(0, Math.round((remaining - (grams.get(r.id) ?? 0)) * 100) / 100),
    };
    // The deduction must win over the last write of this field it follows (ADR 002).
    const lastWrite = (r.data.clock as Record<string, string> | undefined)?.remainingGrams;
    if (lastWrite) hlc.observe(lastWrite);
    next.clock = stampChangedFields(r.data, next, hlc.now());
    next.updatedBy = principal.userId;
    next.updatedAt = now;
    return { id: r.id, orgId: r.org_id, data: next, deleted: false };
  });
  const first = await allocateSeqs(c, docs.length);
  await writeDocs(
    c,
    'spools',
    docs.map((d, i) => ({ ...d, seq: first + i })),
  );
}
