/**
 * Server-owned fields that the server fills from other documents (not from the principal):
 * a command's `bridgeId` comes from its target printer, so a client can never route a
 * command to a bridge of its choosing. A job's charge, quota reservation and cost are
 * stamped by the print-farm hook (farm/jobStamps.ts).
 */
import { ErrorCode, type Principal, type ResourceKind } from '@fleetsync/shared';
import type { DbClient } from '../db/pool.js';
import { JOB_STAMPED_FIELDS, stampJobFields } from '../farm/jobStamps.js';
import type { StoredDoc } from './documentStore.js';

const STAMPED: Partial<Record<ResourceKind, readonly string[]>> = { commands: ['bridgeId'], jobs: JOB_STAMPED_FIELDS };

export function stampedByServer(kind: ResourceKind, field: string): boolean {
  return STAMPED[kind]?.includes(field) ?? false;
}

export async function stampServerFields(
  c: DbClient,
  kind: ResourceKind,
  principal: Principal,
  next: Record<string, unknown>,
  previous: StoredDoc | undefined,
): Promise<{ code: ErrorCode; message: string } | null> {
  if (kind === 'jobs') return stampJobFields(c, principal, next as Record<string, unknown> & { orgId: string }, previous);
  if (kind !== 'commands' || previous) return null;
  if (next.targetKind !== 'printer') return null;
  const target = await c.query<{ org_id: string; bridge: string | null; shared: string[] }>(
    "SELECT org_id, data->>'bridgeId' AS bridge, shared_with AS shared FROM documents WHERE collection = 'printers' AND id = $1 AND NOT deleted",
    [next.targetId],
  );
  const printer = target.rows[0];
  if (!printer)
    return { code: ErrorCode.DOCUMENT_INVALID, message: 'the target printer does not exist or is not visible to you' };
  if (printer.org_id !== next.orgId)
    return { code: ErrorCode.ORG_FORBIDDEN, message: "a command must belong to its printer's organization" };
  if (printer.bridge) next.bridgeId = printer.bridge;
  else delete next.bridgeId;
  return null;
}
