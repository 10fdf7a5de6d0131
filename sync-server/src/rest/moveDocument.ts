/**
 * Moving a document to another org: allowed to someone who may delete it where it is and
 * create it where it goes. The org it leaves gets a tombstone (SPEC S-S5), so its readers'
 * replicas drop it; the new org's readers receive it as a change.
 */
import type { Request } from 'express';
import { can, ErrorCode, type CollectionDefinition } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf } from '../auth/middleware.js';
import type { Db } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { allocateSeqs, CHANGES_CHANNEL, notifyChanges, toWire, type StoredDoc } from '../sync/documentStore.js';
import { dbScopeFor } from '../sync/readScope.js';

export async function moveDocument(req: Request, db: Db, def: CollectionDefinition, doc: StoredDoc, toOrgId: string) {
  const { principal } = authOf(req);
  if (toOrgId === doc.orgId) throw new AppError(ErrorCode.VALIDATION_FAILED, 'the document is already in that organization');
  const allowed =
    can(principal, `${def.name}.delete`, { orgId: doc.orgId }) && can(principal, `${def.name}.create`, { orgId: toOrgId });
  if (!allowed) throw new AppError(ErrorCode.FORBIDDEN, 'moving needs delete rights where it is and create rights where it goes');
  if (principal.suspendedOrgs?.includes(doc.orgId) || principal.suspendedOrgs?.includes(toOrgId)) {
    throw new AppError(ErrorCode.ORG_SUSPENDED, 'a suspended organization is read-only');
  }
  const now = new Date().toISOString();
  const data: Record<string, unknown> = { ...doc.data, orgId: toOrgId, updatedBy: principal.userId, updatedAt: now };
  // Shares and bridge assignment belong to the old org.
  delete data.sharedWithOrgs;
  delete data.bridgeId;
  const moved = await withScope(db, dbScopeFor(principal, def.name), async (c) => {
    const first = await allocateSeqs(c, 2);
    await c.query('INSERT INTO document_moves (collection, id, from_org, to_org, data, seq) VALUES ($1, $2, $3, $4, $5, $6)', [
      def.name,
      doc.id,
      doc.orgId,
      toOrgId,
      { ...doc.data, orgId: doc.orgId },
      first,
    ]);
    await c.query(
      "UPDATE documents SET org_id = $3, data = $4, seq = $5, shared_with = '{}', updated_at = now() WHERE collection = $1 AND id = $2",
      [def.name, doc.id, toOrgId, data, first + 1],
    );
    await c.query('SELECT pg_notify($1, $2)', [
      CHANGES_CHANNEL,
      JSON.stringify({ t: 'doc', c: def.name, o: doc.orgId, s: first, mv: true }),
    ]);
    await notifyChanges(c, def.name, [{ orgId: toOrgId, seq: first + 1, data }]);
    return { id: doc.id, orgId: toOrgId, data, deleted: false, seq: first + 1 };
  });
  await auditFromRequest(db, req, {
    action: 'document.moved',
    orgId: doc.orgId,
    target: `${def.name}:${doc.id}`,
    details: { from: doc.orgId, to: toOrgId },
  });
  return toWire(moved);
}
