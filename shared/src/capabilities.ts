/**
 * Capabilities as data. Feature code asks `can(principal, capability, resource)`;
 * it never compares role names. The README's role table is generated from ROLE_GRANTS.
 */
import type { OrgId, UserId } from './ids.js';

export const ORG_ROLES = ['admin', 'manager', 'operator', 'requester', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const PLATFORM_ROLES = ['owner', 'admin', 'support', 'billing'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const RESOURCE_KINDS = [
  'printers',
  'jobs',
  'spools',
  'commands',
  'devices',
  'deviceGroups',
  'tasks',
  'deployments',
  'catalog',
] as const;
/** The endpoint-fleet kinds (devices, groups, tasks and executions, deployments, the package catalog). */
export const FLEET_KINDS = [
  'devices',
  'deviceGroups',
  'tasks',
  'deployments',
  'catalog',
] as const satisfies readonly ResourceKind[];
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const OPERATIONS = ['read', 'create', 'update', 'delete'] as const;
export type Operation = (typeof OPERATIONS)[number];

export type Capability = `${ResourceKind}.${Operation}` | 'org.manage' | 'members.manage' | 'audit.read' | 'billing.read';

/** Every capability, for tables, docs and per-user grants/denials. */
export const CAPABILITIES: readonly Capability[] = [
  ...RESOURCE_KINDS.flatMap((k) => OPERATIONS.map((op) => `${k}.${op}` as Capability)),
  'org.manage',
  'members.manage',
  'audit.read',
  'billing.read',
];

/** 'all': every resource of the org; 'own': only resources the principal created. */
export type Reach = 'all' | 'own';

const CRUD_ALL = (kind: ResourceKind): Partial<Record<Capability, Reach>> => ({
  [`${kind}.read`]: 'all',
  [`${kind}.create`]: 'all',
  [`${kind}.update`]: 'all',
  [`${kind}.delete`]: 'all',
});

const FLEET_CRUD_ALL = (): Partial<Record<Capability, Reach>> => Object.assign({}, ...FLEET_KINDS.map((k) => CRUD_ALL(k)));
const FLEET_READ_ALL = (): Partial<Record<Capability, Reach>> => Object.fromEntries(FLEET_KINDS.map((k) => [`${k}.read`, 'all']));

export const ROLE_GRANTS: Record<OrgRole, Partial<Record<Capability, Reach>>> = {
  admin: {
    ...CRUD_ALL('printers'),
    ...CRUD_ALL('jobs'),
    ...CRUD_ALL('spools'),
    ...CRUD_ALL('commands'),
    ...FLEET_CRUD_ALL(),
    'org.manage': 'all',
    'members.manage': 'all',
    'audit.read': 'all',
    'billing.read': 'all',
  },
  manager: {
    ...CRUD_ALL('printers'),
    ...CRUD_ALL('jobs'),
    ...CRUD_ALL('spools'),
    ...CRUD_ALL('commands'),
    ...FLEET_CRUD_ALL(),
    'billing.read': 'all',
  },
  operator: {
    'printers.read': 'all',
    'printers.update': 'all',
    'jobs.read': 'all',
    'jobs.create': 'all',
    'jobs.update': 'all',
    'spools.read': 'all',
    'spools.create': 'all',
    'spools.update': 'all',
    'commands.read': 'all',
    'commands.create': 'all',
    // Endpoint fleet: sees everything, runs tasks (and cancels them); no deployments or catalog edits.
    ...FLEET_READ_ALL(),
    'tasks.create': 'all',
    'tasks.update': 'all',
  },
  requester: {
    'printers.read': 'all',
    'jobs.read': 'all',
    'jobs.create': 'own',
    'jobs.update': 'own',
    'spools.read': 'all',
    ...FLEET_READ_ALL(),
  },
  viewer: { 'printers.read': 'all', 'jobs.read': 'all', 'spools.read': 'all', 'commands.read': 'all', ...FLEET_READ_ALL() },
};

/**
 * API token scopes. A token acts with its owner's current rights narrowed to its scopes,
 * never more (SPEC S-T2).
 */
export const TOKEN_SCOPES = [
  'read:printers',
  'write:printers',
  'read:jobs',
  'write:jobs',
  'read:spools',
  'write:spools',
  'read:commands',
  'write:commands',
  'read:devices',
  'write:devices',
  'bridge',
  'admin',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

const write = (kind: ResourceKind): Capability[] => [`${kind}.create`, `${kind}.update`, `${kind}.delete`];
export const SCOPE_CAPABILITIES: Record<TokenScope, readonly Capability[]> = {
  'read:printers': ['printers.read'],
  'write:printers': write('printers'),
  'read:jobs': ['jobs.read'],
  'read:spools': ['spools.read'],
  'write:jobs': write('jobs'),
  'write:spools': write('spools'),
  'read:commands': ['commands.read'],
  'write:commands': write('commands'),
  // Endpoint fleet: devices, groups, tasks and executions, deployments and the package catalog.
  'read:devices': FLEET_KINDS.map((k) => `${k}.read` as Capability),
  'write:devices': FLEET_KINDS.flatMap((k) => write(k)),
  // A site's device bridge: sees its printers and their commands, reports state and outcomes.
  bridge: ['printers.read', 'printers.update', 'commands.read', 'commands.update', 'jobs.read', 'jobs.update', 'spools.read'],
  admin: [],
};

function scopeAllows(scopes: readonly TokenScope[] | undefined, cap: Capability): boolean {
  if (!scopes) return true; // an interactive session: the role alone decides
  if (scopes.includes('admin')) return true;
  return scopes.some((s) => SCOPE_CAPABILITIES[s].includes(cap));
}

export interface Principal {
  userId: UserId;
  /** Org role per organization the user belongs to. */
  memberships: Readonly<Record<string, OrgRole>>;
  platformRole?: PlatformRole | null;
  /** Set for API tokens: the rights are narrowed to these scopes. */
  scopes?: readonly TokenScope[];
  /** Set for a device bridge's token: the bridge it speaks for. */
  bridgeId?: string;
  /** Per-membership grants and denials on top of the role (a denial always wins). */
  overrides?: Readonly<Record<string, { grants: readonly Capability[]; denials: readonly Capability[] }>>;
  /** Suspended orgs are read-only for their members. */
  suspendedOrgs?: readonly string[];
}

export interface ResourceRef {
  orgId: OrgId | string;
  createdBy?: string | null;
}

function platformReach(role: PlatformRole | null | undefined, cap: Capability): Reach | undefined {
  if (!role) return undefined;
  if (role === 'owner' || role === 'admin') return 'all';
  // Support reads into orgs (every access audited by the server); never writes.
  if (role === 'support' && (cap.endsWith('.read') || cap === 'audit.read')) return 'all';
  // Billing sees usage and cost only.
  if (role === 'billing' && (cap === 'billing.read' || cap === 'jobs.read')) return 'all';
  return undefined;
}

const isRead = (cap: Capability) => cap.endsWith('.read');

/** The reach a principal has for a capability inside one org, if any. */
export function reachIn(principal: Principal, cap: Capability, orgId: string): Reach | undefined {
  if (!scopeAllows(principal.scopes, cap)) return undefined;
  if (!isRead(cap) && principal.suspendedOrgs?.includes(orgId)) return undefined;
  const override = principal.overrides?.[orgId];
  if (override?.denials.includes(cap)) return undefined;
  const role = principal.memberships[orgId];
  const granted = role && override?.grants.includes(cap) ? 'all' : undefined;
  const orgReach = granted ?? (role ? ROLE_GRANTS[role][cap] : undefined);
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
  if (!scopeAllows(principal.scopes, `${kind}.read`)) return false;
  return platformReach(principal.platformRole, `${kind}.read`) === 'all';
}

export function orgsWith(principal: Principal, cap: Capability): OrgId[] {
  return Object.keys(principal.memberships).filter((orgId) => reachIn(principal, cap, orgId)) as OrgId[];
}

/** Platform-level capabilities (above organizations). */
export type PlatformCapability = 'platform.orgs' | 'platform.sessions' | 'platform.audit' | 'platform.config' | 'platform.users';

const PLATFORM_GRANTS: Record<PlatformRole, readonly PlatformCapability[]> = {
  owner: ['platform.orgs', 'platform.sessions', 'platform.audit', 'platform.config', 'platform.users'],
  admin: ['platform.orgs', 'platform.sessions', 'platform.audit', 'platform.config', 'platform.users'],
  support: ['platform.audit'],
  billing: [],
};

export function canPlatform(principal: Principal, cap: PlatformCapability): boolean {
  if (principal.scopes && !principal.scopes.includes('admin')) return false;
  return !!principal.platformRole && PLATFORM_GRANTS[principal.platformRole].includes(cap);
}
