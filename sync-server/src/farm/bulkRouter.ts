/**
 * Bulk operations on jobs and printers. Every item goes through `applyPush` (the same rules
 * as sync, one row per item in one batch), so each item is decided on its own and the answer
 * lists each outcome: applied, or refused with the code a sync push would have got.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  COLLECTIONS,
  createHlc,
  ErrorCode,
  stampChangedFields,
  type CollectionDefinition,
  type ResourceKind,
} from '@fleetsync/shared';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { toWire, type StoredDoc } from '../sync/documentStore.js';
import { applyPush } from '../sync/pushService.js';
import { notFound } from './access.js';
import { scoped, type FarmDeps } from './farmDeps.js';
import { readDoc, readDocs } from './farmDocs.js';

const hlc = createHlc('bulk');
const ids = z.array(z.string().min(1).max(64)).min(1).max(500);

const jobsBulkSchema = z.discriminatedUnion('action', [
  z.object({ ids, action: z.literal('cancel') }).strict(),
  z.object({ ids, action: z.literal('delete') }).strict(),
  z.object({ ids, action: z.literal('priority'), value: z.number().int().min(0).max(100) }).strict(),
  /** `value`: the printer to move the jobs to, or null for "any printer". */
  z.object({ ids, action: z.literal('reassign'), value: z.string().min(1).max(64).nullable() }).strict(),
]);
const printersBulkSchema = z.object({ ids, addTags: z.array(z.string().trim().min(1).max(40)).min(1).max(20) }).strict();

export type BulkOutcome = { id: string; ok: true } | { id: string; ok: false; code: string; message: string };

/** Pushes one change per item; items that cannot be read are NOT_FOUND without touching the rest. */
async function bulkApply(
  deps: FarmDeps,
  req: Request,
  kind: ResourceKind,
  itemIds: readonly string[],
  change: (doc: StoredDoc) => { next: Record<string, unknown>; deleted?: boolean },
): Promise<{ results: BulkOutcome[]; summary: { ok: number; failed: number } }> {
  const { principal } = authOf(req);
  const def = COLLECTIONS[kind as keyof typeof COLLECTIONS] as CollectionDefinition;
  const unique = [...new Set(itemIds)];
  const found = await scoped(deps, principal, (c) => readDocs(c, principal, kind, unique));
  const rows = [...found.values()].map((doc) => {
    const current = toWire(doc);
    const { next, deleted } = change(doc);
    const state: Record<string, unknown> = { ...current, ...next, id: doc.id, _deleted: deleted ?? false };
    state.clock = stampChangedFields(current, state, hlc.now());
    return { assumedMasterState: current, newDocumentState: state as typeof current };
  });
  const pushed = rows.length > 0 ? await applyPush(deps.db, def, principal, rows) : { conflicts: [], rejections: [] };
  const rejected = new Map(pushed.rejections.map((r) => [r.id, r]));
  const conflicted = new Set(pushed.conflicts.map((d) => d.id));
  const results: BulkOutcome[] = unique.map((id) => {
    if (!found.has(id)) return { id, ok: false, code: ErrorCode.NOT_FOUND, message: `no ${kind.slice(0, -1)} ${id}` };
    const r = rejected.get(id);
    if (r) return { id, ok: false, code: r.code, message: r.message };
    if (conflicted.has(id)) return { id, ok: false, code: ErrorCode.CONFLICT, message: 'it changed meanwhile; reload and retry' };
    return { id, ok: true };
  });
  const ok = results.filter((r) => r.ok).length;
  return { results, summary: { ok, failed: results.length - ok } };
}

export function createBulkRouter(deps: FarmDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.post('/api/jobs/bulk-update', auth, async (req, res) => {
    const body = parseBody(jobsBulkSchema, req.body);
    const { principal } = authOf(req);
    if (body.action === 'reassign' && body.value !== null) {
      const printerId = body.value;
      const printer = await scoped(deps, principal, (c) => readDoc(c, principal, 'printers', printerId));
      if (!printer) throw notFound(`printer ${printerId}`);
    }
    const out = await bulkApply(deps, req, 'jobs', body.ids, (doc) => {
      switch (body.action) {
        case 'cancel':
          return { next: { status: 'cancelled' } };
        case 'delete':
          return { next: {}, deleted: true };
        case 'priority':
          return { next: { priority: body.value } };
        case 'reassign':
          return {
            next: { printerId: body.value ?? undefined, ...(doc.data.status === 'scheduled' ? { status: 'queued' } : {}) },
          };
      }
    });
    res.json(out);
  });

  router.post('/api/printers/bulk-update', auth, async (req, res) => {
    const body = parseBody(printersBulkSchema, req.body);
    if (new Set(body.addTags).size !== body.addTags.length) throw new AppError(ErrorCode.VALIDATION_FAILED, 'tags repeat');
    const out = await bulkApply(deps, req, 'printers', body.ids, (doc) => {
      const tags = Array.isArray(doc.data.tags) ? (doc.data.tags as string[]) : [];
      return { next: { tags: [...tags, ...body.addTags.filter((t) => !tags.includes(t))] } };
    });
    res.json(out);
  });

  return router;
}
