/** Loads the principal (user, memberships with overrides, platform role) that capabilities are checked against. */
import type { Capability, OrgRole, PlatformRole, Principal, UserId } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';

export async function loadPrincipal(db: Db | DbClient, userId: string): Promise<Principal | null> {
  const user = await db.query<{ id: string; platform_role: PlatformRole | null; disabled: boolean }>(
    'SELECT id, platform_role, disabled FROM users WHERE id = $1',
    [userId],
  );
  const row = user.rows[0];
  if (!row || row.disabled) return null;
  const ms = await db.query<{ org_id: string; role: OrgRole; grants: Capability[]; denials: Capability[]; suspended: boolean }>(
    `SELECT m.org_id, m.role, m.grants, m.denials, o.suspended_at IS NOT NULL AS suspended
     FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1`,
    [userId],
  );
  const memberships: Record<string, OrgRole> = {};
  const overrides: Record<string, { grants: Capability[]; denials: Capability[] }> = {};
  const suspendedOrgs: string[] = [];
  for (const m of ms.rows) {
    memberships[m.org_id] = m.role;
    if (m.grants.length || m.denials.length) overrides[m.org_id] = { grants: m.grants, denials: m.denials };
    if (m.suspended) suspendedOrgs.push(m.org_id);
  }
  if (row.platform_role) {
    // Platform staff act in every org; suspension still makes those orgs read-only.
    const all = await db.query<{ id: string }>('SELECT id FROM orgs WHERE suspended_at IS NOT NULL');
    for (const o of all.rows) if (!suspendedOrgs.includes(o.id)) suspendedOrgs.push(o.id);
  }
  return { userId: row.id as UserId, memberships, platformRole: row.platform_role, overrides, suspendedOrgs };
}
