/**
 * Capabilities as data. Feature code asks `can(principal, capability, resource)`;
 * it never compares role names. The README's role table is generated from ROLE_GRANTS.
 */
import type { OrgId, UserId } from './ids.js';

export const ORG_ROLES = ['admin', 'manager', 'operator', 'requester', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const PLATFORM_ROLES = ['owner', 'admin', 'support', 'billing'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const RESOURCE_KINDS = ['printers', 'jobs', 'spools'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const OPERATIONS = ['read', 'create', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

export type Capability = `${ResourceKind}.${Operation}` | 'org.manage' | 'members.manage' | 'audit.read';

/** 'all': every resource of the org; 'own': only resources the principal created. */
export type Reach = 'all' | 'own';

const CRUD_ALL = (kind: ResourceKind): Partial<Record<Capability, Reach>> => ({
  [`${kind}.read`]: 'all',
  [`${kind}.create`]: 'all',
  [`${kind}.update`]: 'all',
  [`${kind}.delete`]: 'all',
});

export const ROLE_GRANTS: Record<OrgRole, Partial<Record<Capability, Reach>>> = {
  admin: {
    ...CRUD_ALL('printers'),
    ...CRUD_ALL('jobs'),
    ...CRUD_ALL('spools'),
    'org.manage': 'all',
    'members.manage': 'all',
    'audit.read': 'all',
  },
  manager: { ...CRUD_ALL('printers'), ...CRUD_ALL('jobs'), ...CRUD_ALL('spools') },
  operator: {
    'printers.read': 'all',
    'printers.update': 'all',
    'jobs.read': 'all',
    'jobs.create': 'all',
    'jobs.update': 'all',
    'spools.read': 'all',
    'spools.create': 'all',
    'spools.update': 'all',
  },
  requester: {
    'printers.read': 'all',
    'jobs.read': 'all',
    'jobs.create': 'own',
    'jobs.update': 'own',
    'spools.read': 'all',
  },
  viewer: { 'printers.read': 'all', 'jobs.read': 'all', 'spools.read': 'all' },
};

export interface Principal {
  userId: UserId;
  /** Org role per organization the user belongs to. */
  memberships: Readonly<Record<string, OrgRole>>;
  platformRole?: PlatformRole | null;
}

export interface ResourceRef {
  orgId: OrgId | string;
  createdBy?: string | null;
}

function platformReach(role: PlatformRole | null | undefined, cap: Capability): Reach | undefined {
  if (!role) return undefined;
  if (role === 'owner' || role === 'admin') return 'all';
  if (role === 'support' && (cap.endsWith('.read') || cap === 'audit.read')) return 'all';
  return undefined;
}

/** The reach a principal has for a capability inside one org, if any. */
export function reachIn(principal: Principal, cap: Capability, orgId: string): Reach | undefined {
  const role = principal.memberships[orgId];
  const orgReach = role ? ROLE_GRANTS[role][cap] : undefined;
  const platform = platformReach(principal.platformRole, cap);
  if (orgReach === 'all' || platform === 'all') return 'all';
  return orgReach;
}

export function can(principal: Principal, cap: Capability, resource: ResourceRef): boolean {
  const reach = reachIn(principal, cap, resource.orgId);
  if (reach === 'all') return true;
  if (reach === 'own') {
    // Creating is always "own"; afterwards the stored author decides.
    return resource.createdBy == null || resource.createdBy === principal.userId;
  }
  return false;
}

/** True when the principal may read every org (platform staff). */
export function readsAllOrgs(principal: Principal, kind: ResourceKind): boolean {
  return platformReach(principal.platformRole, `${kind}.read`) === 'all';
}

export function orgsWith(principal: Principal, cap: Capability): OrgId[] {
  return Object.keys(principal.memberships).filter((orgId) => reachIn(principal, cap, orgId)) as OrgId[];
}
