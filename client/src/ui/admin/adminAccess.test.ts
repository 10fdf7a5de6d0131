import { describe, expect, it } from 'vitest';
import type { Principal, UserId } from '@fleetsync/shared';
import { adminScopes, initialScope } from './adminAccess.js';

const orgs = [
  { id: 'o1', name: 'Lab One' },
  { id: 'o2', name: 'Lab Two' },
];
const principal = (memberships: Record<string, never | string>, platformRole: Principal['platformRole'] = null): Principal =>
  ({ userId: 'u1' as UserId, memberships, platformRole }) as Principal;

describe('admin scopes', () => {
  it('offers nothing to members who administer nothing', () => {
    expect(adminScopes(principal({ o1: 'operator', o2: 'manager' }), orgs)).toEqual([]);
  });

  it('offers an org admin their org only, with audit, settings and members', () => {
    const scopes = adminScopes(principal({ o1: 'admin', o2: 'viewer' }), orgs);
    expect(scopes).toEqual([{ key: 'o1', orgId: 'o1', label: 'Lab One', audit: true, settings: true, members: true }]);
  });

  it('offers platform admins the instance and every org', () => {
    const scopes = adminScopes(principal({}, 'admin'), orgs);
    expect(scopes.map((s) => s.key)).toEqual(['instance', 'o1', 'o2']);
    expect(scopes[0]).toMatchObject({ audit: true, settings: true, members: false });
  });

  it('offers platform support the audit log only', () => {
    const scopes = adminScopes(principal({}, 'support'), orgs);
    expect(scopes.every((s) => s.audit && !s.settings && !s.members)).toBe(true);
  });

  it('starts with the org selected in the header when possible', () => {
    const scopes = adminScopes(principal({}, 'owner'), orgs);
    expect(initialScope(scopes, 'o2')?.key).toBe('o2');
    expect(initialScope(scopes, null)?.key).toBe('instance');
    expect(initialScope([], 'o1')).toBeNull();
  });
});
