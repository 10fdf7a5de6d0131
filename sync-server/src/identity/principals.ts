/** Loads the principal (user, memberships, platform role) that capabilities are checked against. */
import type { OrgRole, PlatformRole, Principal, UserId } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';

export async function loadPrincipal(db: Db | DbClient, userId: string): Promise<Principal | null> {
  const user = await db.query<{ id: string; platform_role: PlatformRole | null; disabled: boolean }>(
    'SELECT id, platform_role, disabled FROM users WHERE id = $1',
    [userId],
  );
  const row = user.rows[0];
  if (!row || row.disabled) return null;
  const ms = await db.query<{ org_id: string; role: OrgRole }>('SELECT org_id, role FROM memberships WHERE user_id = $1', [
    userId,
  ]);
  const memberships: Record<string, OrgRole> = {};
  for (const m of ms.rows) memberships[m.org_id] = m.role;
  return { userId: row.id as UserId, memberships, platformRole: row.platform_role };
}
