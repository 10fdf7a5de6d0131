/** Administration: audit log, IP allowlists, "require two-factor", all organizations. */
import type { AuthedApi } from '../session/authedApi.js';
import { parseOrgRole } from './authTypes.js';
import type { OrgRole } from '@fleetsync/shared';
import { badShape, isObject, listOf, str, strOrNull, strings } from './parse.js';
import { queryString } from './requestJson.js';

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  ip: string;
  orgId: string | null;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  /** ISO date-times. */
  from?: string;
  to?: string;
  orgId?: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  nextBefore: string | null;
}

const idText = (v: unknown): string => (typeof v === 'number' ? String(v) : str(v));

export function auditPath(filters: AuditFilters, extra: Record<string, string | number | undefined> = {}): string {
  return `/api/audit${queryString({
    actor: filters.actor?.trim(),
    action: filters.action?.trim(),
    from: filters.from,
    to: filters.to,
    orgId: filters.orgId ?? undefined,
    ...extra,
  })}`;
}

export async function fetchAudit(api: AuthedApi, filters: AuditFilters, before?: string | null): Promise<AuditPage> {
  const v = await api.json(auditPath(filters, { before: before ?? undefined, limit: 50 }));
  const entries = listOf(v, 'entries', 'audit log').map((e) => ({
    id: idText(e.id),
    at: str(e.at),
    actor: str(e.actor_label) || str(e.actor_id) || '—',
    action: str(e.action),
    target: str(e.target),
    ip: str(e.ip),
    orgId: strOrNull(e.org_id),
  }));
  const next = isObject(v) ? idText(v.nextBefore) : '';
  return { entries, nextBefore: next || null };
}

/** The same filters as a CSV file (up to 1000 rows). */
export function fetchAuditCsv(api: AuthedApi, filters: AuditFilters): Promise<Blob> {
  return api.blob(auditPath(filters, { format: 'csv', limit: 1000 }));
}

export type AllowlistMode = 'all' | 'api';

export interface Allowlist {
  cidrs: string[];
  mode: AllowlistMode;
  loopbackBypass: boolean;
}

const orgQuery = (orgId: string | null) => queryString({ orgId: orgId ?? undefined });

export async function fetchAllowlist(api: AuthedApi, orgId: string | null): Promise<Allowlist & { yourIp: string }> {
  const v = await api.json(`/api/config/ip-allowlist${orgQuery(orgId)}`);
  if (!isObject(v)) throw badShape('IP allowlist');
  return {
    cidrs: strings(v.cidrs),
    mode: v.mode === 'api' ? 'api' : 'all',
    loopbackBypass: v.loopbackBypass !== false,
    yourIp: str(v.yourIp),
  };
}

export async function saveAllowlist(api: AuthedApi, orgId: string | null, list: Allowlist): Promise<void> {
  await api.json('/api/config/ip-allowlist', { method: 'PUT', body: { ...list, ...(orgId ? { orgId } : {}) } });
}

export async function fetchRequireMfa(api: AuthedApi, orgId: string | null): Promise<boolean> {
  const v = await api.json(`/api/config/require-mfa${orgQuery(orgId)}`);
  return isObject(v) && v.enabled === true;
}

export async function saveRequireMfa(api: AuthedApi, orgId: string | null, enabled: boolean): Promise<void> {
  await api.json('/api/config/require-mfa', { method: 'PUT', body: { enabled, ...(orgId ? { orgId } : {}) } });
}

export interface OrgSummary {
  id: string;
  name: string;
  slug: string;
  suspended: boolean;
  /** The user's role there, or null for an org a platform admin sees without belonging to it. */
  role: OrgRole | null;
}

/** Every organization the user may see (all of them for platform staff). */
export async function fetchOrgs(api: AuthedApi): Promise<OrgSummary[]> {
  return listOf(await api.json('/api/orgs'), 'orgs', 'organizations')
    .filter((o) => str(o.id))
    .map((o) => ({
      id: str(o.id),
      name: str(o.name) || str(o.id),
      slug: str(o.slug),
      suspended: o.suspended === true,
      role: parseOrgRole(o.role),
    }));
}
