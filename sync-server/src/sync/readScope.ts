/** Read scope: the same capability module decides pull, stream and push visibility (SPEC S-S1). */
import { can, orgsWith, readsAllOrgs, type Principal, type ResourceKind } from '@fleetsync/shared';

export interface ReadScope {
  all: boolean;
  orgIds: string[];
  /** Orgs whose members see printers shared with them (SPEC S-S4). */
  sharedFor: string[];
  /** A bridge sees only its own printers and their commands. */
  bridgeId: string | null;
}

const BRIDGE_FILTERED: ReadonlySet<ResourceKind> = new Set(['printers', 'commands']);

export function readScope(principal: Principal, kind: ResourceKind): ReadScope {
  const orgIds = orgsWith(principal, `${kind}.read`);
  return {
    all: readsAllOrgs(principal, kind),
    orgIds,
    sharedFor: kind === 'printers' ? orgsWith(principal, 'printers.read') : [],
    bridgeId: principal.bridgeId && BRIDGE_FILTERED.has(kind) ? principal.bridgeId : null,
  };
}

export function canReadOrg(principal: Principal, kind: ResourceKind, orgId: string): boolean {
  return can(principal, `${kind}.read`, { orgId });
}

/** Whether a stored document is visible to the principal: its org, or shared with one of theirs. */
export function canReadDoc(
  principal: Principal,
  kind: ResourceKind,
  doc: { orgId: string; data: Record<string, unknown> },
): boolean {
  const scope = readScope(principal, kind);
  if (scope.bridgeId && doc.data.bridgeId !== scope.bridgeId) return false;
  if (scope.all || canReadOrg(principal, kind, doc.orgId)) return true;
  const shared = (doc.data.sharedWithOrgs as string[] | undefined) ?? [];
  return shared.length > 0 && (shared.includes('*') || scope.sharedFor.some((o) => shared.includes(o)));
}

/** Orgs whose rows the database should let this principal's transaction touch (RLS scope). */
export function dbScopeFor(principal: Principal, kind: ResourceKind): { all: boolean; orgIds: string[] } {
  return { all: readsAllOrgs(principal, kind), orgIds: Object.keys(principal.memberships) };
}
