/** Users, organizations and memberships: the minimal identity that makes org scoping real. */
import { newId, type OrgRole } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { hashPassword } from '../auth/passwords.js';
import { AppError } from '../http/errors.js';

export interface OrgRow {
  id: string;
  name: string;
  slug: string;
}
export interface UserRow {
  id: string;
  email: string;
  display_name: string;
}

export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'org'
  );
}

export async function createOrg(db: Db, name: string): Promise<OrgRow> {
  const id = newId();
  const slug = `${slugify(name)}-${id.slice(0, 6)}`;
  await db.query('INSERT INTO orgs (id, name, slug) VALUES ($1, $2, $3)', [id, name, slug]);
  return { id, name, slug };
}

export async function findOrg(db: Db, idOrSlug: string): Promise<OrgRow | null> {
  const res = await db.query<OrgRow>('SELECT id, name, slug FROM orgs WHERE id::text = $1 OR slug = $1', [idOrSlug]);
  return res.rows[0] ?? null;
}

export async function createUser(
  db: Db,
  input: { email: string; displayName?: string; password: string; platformRole?: string | null },
): Promise<UserRow> {
  const id = newId();
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    await db.query('INSERT INTO users (id, email, display_name, password_hash, platform_role) VALUES ($1, $2, $3, $4, $5)', [
      id,
      email,
      input.displayName ?? email.split('@')[0],
      passwordHash,
      input.platformRole ?? null,
    ]);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('CONFLICT', `a user with email ${email} already exists`);
    throw err;
  }
  return { id, email, display_name: input.displayName ?? email.split('@')[0] ?? email };
}

export async function findUserByEmail(db: Db, email: string) {
  const res = await db.query<UserRow & { password_hash: string; disabled: boolean }>(
    'SELECT id, email, display_name, password_hash, disabled FROM users WHERE email = $1',
    [email.trim().toLowerCase()],
  );
  return res.rows[0] ?? null;
}

export async function setMembership(db: Db, orgId: string, userId: string, role: OrgRole): Promise<void> {
  await db.query(
    `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (org_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [orgId, userId, role],
  );
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  // A reset also voids every access handed out before it.
  await db.query('UPDATE users SET password_hash = $2, not_valid_before = now() WHERE id = $1', [userId, passwordHash]);
  await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
}

export async function listOrgs(db: Db) {
  return (
    await db.query<OrgRow & { members: number }>(
      `SELECT o.id, o.name, o.slug, count(m.user_id)::int AS members
       FROM orgs o LEFT JOIN memberships m ON m.org_id = o.id GROUP BY o.id ORDER BY o.name`,
    )
  ).rows;
}

export async function listUsers(db: Db) {
  return (
    await db.query<UserRow & { memberships: string | null; platform_role: string | null }>(
      `SELECT u.id, u.email, u.display_name, u.platform_role,
              string_agg(o.name || ':' || m.role, ', ' ORDER BY o.name) AS memberships
       FROM users u LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN orgs o ON o.id = m.org_id
       GROUP BY u.id ORDER BY u.email`,
    )
  ).rows;
}
