import { describe, expect, it } from 'vitest';
import type { OrgSummary } from '../api/adminApi.js';
import type { Me } from '../api/authTypes.js';
import { seesAllOrgs, visibleOrgs } from './visibleOrgs.js';

const me = (platformRole: Me['platformRole']): Me => ({
  user: { id: 'u1', email: 'a@b.c', displayName: 'A' },
  sessionId: 's',
  platformRole,
  mfaEnabled: false,
  mfaSetupRequired: false,
  orgs: [{ id: 'o2', name: 'Beta', slug: 'beta', suspended: false, role: 'operator' }],
});
const all: OrgSummary[] = [
  { id: 'o1', name: 'Alpha', slug: 'alpha', suspended: false, role: null },
  { id: 'o2', name: 'Beta', slug: 'beta', suspended: false, role: 'operator' },
];

describe('organizations in the header', () => {
  it('lists every org for platform admins and support only', () => {
    expect(seesAllOrgs(me('admin'))).toBe(true);
    expect(seesAllOrgs(me('owner'))).toBe(true);
    expect(seesAllOrgs(me('support'))).toBe(true);
    expect(seesAllOrgs(me('billing'))).toBe(false);
    expect(seesAllOrgs(me(null))).toBe(false);
    expect(seesAllOrgs(null)).toBe(false);
  });

  it('merges memberships with the other orgs, sorted by name, keeping the membership role', () => {
    expect(visibleOrgs(me('admin'), all).map((o) => [o.id, o.role])).toEqual([
      ['o1', null],
      ['o2', 'operator'],
    ]);
    expect(visibleOrgs(me(null), []).map((o) => o.id)).toEqual(['o2']);
    expect(visibleOrgs(null, [])).toEqual([]);
  });
});
