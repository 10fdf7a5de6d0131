/**
 * Scope changes on a replica (SPEC S-S6): when the server says the principal's rights
 * changed, the replica asks what it may read now, drops what it may no longer read (without
 * pushing deletions: they are fed in as server-side tombstones, then purged from storage), and
 * re-pulls from scratch when its scope grew so documents it could not see before arrive too.
 */
import type { WireDoc } from '../protocol.js';
import { authHeaders, toError, type SyncTransport } from './http.js';

export interface CollectionScope {
  all: boolean;
  orgIds: string[];
  sharedFor: string[];
  bridgeId: string | null;
}

export interface ScopeInfo {
  key: string;
  collections: Record<string, CollectionScope>;
  memberOrgs: string[];
}

export async function fetchScope(transport: SyncTransport): Promise<ScopeInfo> {
  const f = transport.fetch ?? globalThis.fetch;
  const res = await f(`${transport.baseUrl}/api/sync/scope`, { headers: await authHeaders(transport) });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as ScopeInfo;
}

/** Whether a local document lies outside what the principal may read now. */
export function outOfScope(doc: Record<string, unknown>, scope: CollectionScope | undefined): boolean {
  if (!scope) return true;
  if (scope.bridgeId && doc.bridgeId !== scope.bridgeId) return true;
  if (scope.all || scope.orgIds.includes(String(doc.orgId))) return false;
  const shared = (doc.sharedWithOrgs as string[] | undefined) ?? [];
  return !(shared.includes('*') || scope.sharedFor.some((o) => shared.includes(o)));
}

/** Tombstones for documents to drop, as the server would send them. */
export function tombstones(docs: Record<string, unknown>[]): WireDoc[] {
  return docs.map((d) => ({ ...d, _deleted: true }) as WireDoc);
}
