/**
 * Admin CLI for server administrators: `npm run admin -- <command>`.
 *   org:create <name>
 *   user:create <email> <org> <role> [--password P]   (a password is generated when omitted)
 *   user:reset-password <email> [--password P]
 *   orgs | users
 *   audit verify                                      (exit 1 and the first bad row if tampered)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORG_ROLES, type OrgRole } from '@fleetsync/shared';
import { createPool } from '../db/pool.js';
import { verifyAuditChain } from '../audit/auditLog.js';
import { migrate } from '../db/migrate.js';
import { resolveDatabase } from '../db/resolveDatabase.js';
import {
  createOrg,
  createUser,
  findOrg,
  findUserByEmail,
  listOrgs,
  listUsers,
  setMembership,
  setPassword,
} from '../identity/identityRepo.js';
import { generatePassword } from '../identity/seed.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function runAdmin(argv: string[], out: (line: string) => void, env = process.env): Promise<number> {
  const [command, ...args] = argv;
  const database = await resolveDatabase(env, ROOT);
  const db = createPool(database.url, 2);
  try {
    await migrate(db);
    switch (command) {
      case 'org:create': {
        if (!args[0]) throw new Error('usage: org:create <name>');
        const org = await createOrg(db, args[0]);
        out(`created org ${org.name} (${org.id}, slug ${org.slug})`);
        return 0;
      }
      case 'user:create': {
        const [email, orgRef, role] = args;
        if (!email || !orgRef || !role) throw new Error('usage: user:create <email> <org id or slug> <role>');
        if (!ORG_ROLES.includes(role as OrgRole)) throw new Error(`role must be one of ${ORG_ROLES.join(', ')}`);
        const org = await findOrg(db, orgRef);
        if (!org) throw new Error(`no org ${orgRef}`);
        const password = flag(args, '--password') ?? generatePassword();
        const user = await createUser(db, { email, password });
        await setMembership(db, org.id, user.id, role as OrgRole);
        out(`created ${user.email} as ${role} of ${org.name}`);
        if (!flag(args, '--password')) out(`password (shown once): ${password}`);
        return 0;
      }
      case 'user:reset-password': {
        const [email] = args;
        if (!email) throw new Error('usage: user:reset-password <email>');
        const user = await findUserByEmail(db, email);
        if (!user) throw new Error(`no user ${email}`);
        const password = flag(args, '--password') ?? generatePassword();
        await setPassword(db, user.id, password);
        out(`password of ${user.email} reset; every session of that user was signed out`);
        if (!flag(args, '--password')) out(`new password (shown once): ${password}`);
        return 0;
      }
      case 'audit': {
        if (args[0] !== 'verify') throw new Error('usage: audit verify');
        const report = await verifyAuditChain(db);
        if (report.ok) {
          out(`audit log intact: ${report.rows} rows verified`);
          return 0;
        }
        out(`audit log TAMPERED: first bad row: ${report.firstBadId} (${report.reason})`);
        return 1;
      }
      case 'orgs':
        for (const o of await listOrgs(db)) out(`${o.id}  ${o.slug.padEnd(30)}  ${o.name}  (${o.members} members)`);
        return 0;
      case 'users':
        for (const u of await listUsers(db))
          out(`${u.id}  ${u.email.padEnd(32)}  ${u.platform_role ?? '-'}  ${u.memberships ?? ''}`);
        return 0;
      default:
        out(
          'commands: org:create <name> | user:create <email> <org> <role> | user:reset-password <email> | orgs | users | audit verify',
        );
        return command ? 2 : 0;
    }
  } catch (err) {
    out(`error: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.end();
    await database.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // eslint-disable-next-line no-console
  process.exitCode = await runAdmin(process.argv.slice(2), (l) => console.log(l));
}
