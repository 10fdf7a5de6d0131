/**
 * A push that conflicted is settled when the conflict's resolution equals the server's
 * state: RxDB then has nothing left to push, so no acknowledgement (onPushed) will follow.
 * This happens when a push reached the server but its answer was lost (reload, network cut)
 * and the retry conflicts with its own earlier write.
 */
import { deepEqual } from '@fleetsync/shared';

const LOCAL_ONLY = new Set(['_meta', '_rev', '_attachments']);

function replicaView(doc: unknown): Record<string, unknown> {
  const entries = Object.entries(doc as Record<string, unknown>).filter(([k]) => !LOCAL_ONLY.has(k));
  return Object.fromEntries(entries.map(([k, v]) => (k === '_deleted' ? [k, v === true] : [k, v])));
}

export interface ResolvedConflict {
  input: { realMasterState: unknown };
  output: unknown;
}

/** The id of the document when the resolution left nothing to push, else null. */
export function settledId(conflict: ResolvedConflict): string | null {
  const master = replicaView(conflict.input.realMasterState);
  const resolved = replicaView(conflict.output);
  if (!('_deleted' in master)) master._deleted = false;
  if (!('_deleted' in resolved)) resolved._deleted = false;
  return deepEqual(master, resolved) && typeof master.id === 'string' ? master.id : null;
}
