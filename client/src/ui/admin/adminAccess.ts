/**
 * What the admin screens offer whom, decided with the shared capability module: platform
 * admins manage the whole instance (and every org), org admins their own orgs.
 */
import { can, canPlatform, type Principal } from '@fleetsync/shared';

export const INSTANCE = 'instance';

export interface AdminScope {
  /** 'instance' or the org id. */
  key: string;
  orgId: string | null;
  label: string;
  audit: boolean;
  /** IP allowlist and "require two-factor authentication". */
  settings: boolean;
  members: boolean;
}

export function adminScopes(principal: Principal, orgs: readonly { id: string; name: string }[]): AdminScope[] {
  const out: AdminScope[] = [];
  const audit = canPlatform(principal, 'platform.audit');
  const settings = canPlatform(principal, 'platform.config');
  if (audit || settings) out.push({ key: INSTANCE, orgId: null, label: 'Whole instance', audit, settings, members: false });
  for (const org of orgs) {
    const ref = { orgId: org.id };
    const scope: AdminScope = {
      key: org.id,
      orgId: org.id,
      label: org.name,
      audit: can(principal, 'audit.read', ref),
      settings: can(principal, 'org.manage', ref),
      members: can(principal, 'members.manage', ref),
    };
    if (scope.audit || scope.settings || scope.members) out.push(scope);
  }
  return out;
}

/** The scope to start with: the org selected in the header when it is on offer, else the first. */
export function initialScope(scopes: readonly AdminScope[], selectedOrg: string | null): AdminScope | null {
  return scopes.find((s) => s.orgId !== null && s.orgId === selectedOrg) ?? scopes[0] ?? null;
}
