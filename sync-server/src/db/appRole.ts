/**
 * The application's own database role: LOGIN, not superuser, not owner, no BYPASSRLS, and no
 * UPDATE/DELETE on the audit log. Created (or re-granted) by the owner after migrations.
 * Its password comes from FLEETSYNC_APP_DB_PASSWORD or is derived from the owner's
 * credentials, so every instance of one deployment computes the same one.
 */
import { createHash } from 'node:crypto';
import type { Db } from './pool.js';

export const APP_ROLE = 'fleetsync_app';

export function appRolePassword(adminUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEETSYNC_APP_DB_PASSWORD) return env.FLEETSYNC_APP_DB_PASSWORD;
  const u = new URL(adminUrl);
  return createHash('sha256')
    .update(`fleetsync-app-role:${u.username}:${u.password}@${u.hostname}:${u.port}`)
    .digest('base64url');
}

export function appRoleUrl(adminUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.APP_DATABASE_URL) return env.APP_DATABASE_URL;
  const u = new URL(adminUrl);
  u.username = APP_ROLE;
  u.password = appRolePassword(adminUrl, env);
  return u.toString();
}

export async function ensureAppRole(admin: Db, adminUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const password = appRolePassword(adminUrl, env).replace(/'/g, "''");
  const database = (await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db;
  const statements = [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
         CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
       END IF;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,
    `ALTER ROLE ${APP_ROLE} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`,
    `GRANT CONNECT ON DATABASE "${database}" TO ${APP_ROLE}`,
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${APP_ROLE}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${APP_ROLE}`,
  ];
  for (const sql of statements) {
    try {
      await admin.query(sql);
    } catch (err) {
      // Two processes creating the role at once: the loser's ALTER/GRANT can hit a
      // concurrent-update error; one retry settles it.
      if ((err as { code?: string }).code === 'XX000' || (err as { code?: string }).code === '40001') await admin.query(sql);
      else throw err;
    }
  }
}
