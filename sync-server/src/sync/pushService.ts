/**
 * Applies a push batch (SPEC S-P1..S-P8): each row is validated, checked for a conflict
 * against the stored master, authorized by the collection's write rule and stamped with the
 * server-owned fields. A refused row gets a per-document rejection with a stable code; the
 * other rows of the batch are still applied.
 */
import {
  authorizeWrite,
  ErrorCode,
  stableStringify,
  type CollectionDefinition,
  type Principal,
  type PushRejection,
  type PushResponse,
  type PushRow,
  type WireDoc,
} from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { allocateSeqs, docOrgs, lockDocs, toWire, writeDocs, type StoredDoc } from './documentStore.js';
import { stampServerFields, stampedByServer } from './serverStamps.js';
import { checkJobQuota, newQuotaBatch } from '../farm/quotaService.js';
import { applyJobCompletionEffects } from '../farm/completionEffects.js';
import { canReadDoc, dbScopeFor } from './readScope.js';

const LOCAL_ONLY = ['_meta', '_rev', '_attachments', '_deleted'];

function stripLocal(doc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...doc };
  for (const k of LOCAL_ONLY) delete out[k];
  return out;
}

/** What the replica controls: everything but server-owned fields (conflict comparison, SPEC S-P2). */
function clientView(def: CollectionDefinition, doc: Record<string, unknown>, deleted: boolean): string {
  const view = stripLocal(doc);
  for (const f of def.serverOwned) delete view[f];
  return stableStringify({ ...view, _deleted: deleted });
}

export async function applyPush(db: Db, def: CollectionDefinition, principal: Principal, rows: PushRow[]): Promise<PushResponse> {
  const ids = [...new Set(rows.map((r) => String(r.newDocumentState.id ?? '')))];
  // Row-level scope: the orgs the principal belongs to (or all, for platform staff).
  const scope = dbScopeFor(principal, def.name);
  return withScope(db, scope, async (c) => {
    const current = await lockDocs(c, def.name, ids);
    const before = new Map(current); // stored states before this batch (completion effects)
    const quotaBatch = newQuotaBatch(); // quota reservations of rows accepted earlier in this batch
    const owners = await docOrgs(c, def.name, ids);
    const conflicts: WireDoc[] = [];
    const rejections: PushRejection[] = [];
    const accepted = new Map<string, Omit<StoredDoc, 'seq'>>();
    const now = new Date().toISOString();

    for (const row of rows) {
      const raw = row.newDocumentState;
      const id = typeof raw.id === 'string' ? raw.id : '';
      const deleted = raw._deleted === true;
      const prevStored = current.get(id);
      const prevReadable = prevStored ? canReadDoc(principal, def.name, prevStored) : false;
      const foreign = !prevStored && owners.has(id);

      const refuse = (code: ErrorCode, message: string, details?: unknown) => {
        rejections.push({ id, code, message, ...(details ? { details } : {}) } as PushRejection);
        // The replica learns the real state if it may read it; otherwise its own write is
        // withdrawn (a deleted copy), so nothing of another org leaks.
        if (prevStored && prevReadable) conflicts.push(toWire(prevStored));
        else if (id) conflicts.push({ ...stripLocal(raw), id, _deleted: true } as WireDoc);
      };

      const parsed = def.zod.safeParse(stripLocal(raw));
      if (!parsed.success) {
        refuse(
          ErrorCode.DOCUMENT_INVALID,
          'the document does not match the collection schema',
          parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
        continue;
      }
      const next = parsed.data as Record<string, unknown> & { id: string; orgId: string };
      if (foreign) {
        refuse(ErrorCode.ORG_FORBIDDEN, `document ${id} belongs to an organization you cannot access`);
        continue;
      }

      // Conflict detection against the stored master (RxDB assumedMasterState contract).
      const assumed = row.assumedMasterState ?? undefined;
      if (prevStored && prevReadable) {
        const assumedView = assumed ? clientView(def, assumed, assumed._deleted === true) : null;
        if (assumedView !== clientView(def, prevStored.data, prevStored.deleted)) {
          conflicts.push(toWire(prevStored));
          continue;
        }
      }

      // Server-owned fields: a replica may only send back what it was given (SPEC S-P5).
      const known = prevStored && prevReadable ? (assumed ?? {}) : {};
      const tampered = def.serverOwned.filter(
        (f) => next[f] !== undefined && stableStringify(next[f]) !== stableStringify((known as Record<string, unknown>)[f]),
      );
      if (tampered.length > 0) {
        refuse(ErrorCode.SERVER_FIELD_FORBIDDEN, `server-owned fields cannot be set by a replica: ${tampered.join(', ')}`);
        continue;
      }

      if (prevStored && !prevReadable) {
        refuse(ErrorCode.ORG_FORBIDDEN, `document ${id} belongs to an organization you cannot access`);
        continue;
      }
      const stampError = await stampServerFields(c, def.name, principal, next, prevStored);
      if (stampError) {
        refuse(stampError.code, stampError.message);
        continue;
      }
      const previous = prevStored ? { ...prevStored.data, orgId: prevStored.orgId, _deleted: prevStored.deleted } : undefined;
      const outcome = authorizeWrite(def, {
        principal,
        previousReadable: prevReadable,
        previous: previous as never,
        next: { ...next, _deleted: deleted } as never,
      });
      if (!outcome.ok) {
        refuse(outcome.code, outcome.message);
        continue;
      }
      // Print quotas: a new job must fit its submitter's (and their groups') limits.
      const quotaRefusal = await checkJobQuota(c, def.name, principal, next, prevStored, deleted, quotaBatch);
      if (quotaRefusal) {
        refuse(quotaRefusal.code, quotaRefusal.message, quotaRefusal.details);
        continue;
      }

      const data: Record<string, unknown> = { ...next };
      for (const f of def.serverOwned) {
        if (prevStored?.data[f] !== undefined) data[f] = prevStored.data[f];
        else if (next[f] === undefined || !stampedByServer(def.name, f)) delete data[f];
      }
      data.createdBy = prevStored?.data.createdBy ?? principal.userId;
      data.createdAt = prevStored?.data.createdAt ?? now;
      data.updatedBy = principal.userId;
      data.updatedAt = now;
      accepted.set(id, { id, orgId: next.orgId, data, deleted });
      current.set(id, { id, orgId: next.orgId, data, deleted, seq: 0 });
    }

    // Jobs that reached `done`: deduct their filament from the charged spool (same transaction).
    await applyJobCompletionEffects(c, def.name, principal, [...accepted.values()], before);
    if (accepted.size > 0) {
      const first = await allocateSeqs(c, accepted.size);
      const docs = [...accepted.values()].map((d, i) => ({ ...d, seq: first + i }));
      await writeDocs(c, def.name, docs);
    }
    return { conflicts, rejections };
  });
}
