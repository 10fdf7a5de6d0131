/**
 * First start: a demo org with an admin account and a few printers, jobs and spools.
 * The password is generated here and returned once for the console; it is never stored
 * anywhere but as an argon2id hash.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import { createOrg, createUser, setMembership } from './identityRepo.js';
import { seedDemoDocuments } from './demoDocuments.js';

export interface SeedResult {
  created: boolean;
  email?: string;
  password?: string;
  orgId?: string;
}

export function generatePassword(): string {
  // Upper, lower, digit guaranteed; 16 random characters after them.
  return `Fs7${randomBytes(12).toString('base64url')}a`;
}

export async function seedDemo(db: Db): Promise<SeedResult> {
  const users = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if ((users.rows[0]?.n ?? 0) > 0) return { created: false };
  const org = await createOrg(db, 'Demo Print Farm');
  const email = 'admin@demo.fleetsync.local';
  const password = generatePassword();
  const user = await createUser(db, { email, displayName: 'Demo Admin', password, platformRole: 'owner' });
  await setMembership(db, org.id, user.id, 'admin');
  await seedDemoDocuments(db, org.id, user.id);
  return { created: true, email, password, orgId: org.id };
}
