/** Users, organizations and memberships: the minimal identity that makes org scoping real. */
import { checkPassword, ErrorCode, newId, type OrgRole } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { hashPassword } from '../auth/passwords.js';
import { revokeUserSessions } from '../auth/sessions.js';
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
  assertPolicy(input.password, email);
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

function assertPolicy(password: string, email: string): void {
  const check = checkPassword(password, { email });
  if (!check.ok)
    throw new AppError(ErrorCode.PASSWORD_POLICY, `the password does not meet the policy: ${check.problems.join(', ')}`, {
      problems: check.problems,
    });
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
}

/** An administrator's reset: new password, and every session and access token of the user ends. */
export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const email = (await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [userId])).rows[0]?.email ?? '';
  assertPolicy(password, email);
  await setPasswordHash(db, userId, await hashPassword(password));
  await revokeUserSessions(db, userId, 'password-reset');
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
