/** The real sync server on port 0 against the bench database, and tenants (org + admin user + token). */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { SyncTransport } from '@fleetsync/shared/sync';
import { configFromEnv, createOrg, createUser, setMembership, startServer, type RunningServer } from '@fleetsync/sync-server';
import { withScope } from '../../sync-server/src/db/scope.js';
import { randomKeys } from '../../sync-server/src/security/keys.js';

const PASSWORD = `Bench-${randomBytes(12).toString('hex')}-Q7`;

export interface Tenant {
  orgId: string;
  userId: string;
  token: string;
  transport: SyncTransport;
}

export async function startBenchServer(databaseUrl: string): Promise<RunningServer> {
  // Throwaway keys: nothing is written to the data folder.
  const config = configFromEnv(
    { DATABASE_URL: databaseUrl },
    { port: 0, host: '127.0.0.1', logLevel: 'silent', keys: randomKeys() },
  );
  return startServer(config, { log: pino({ level: 'silent' }) });
}

/** One org per scenario, so no scenario sees another's documents. */
export async function createTenant(server: RunningServer, label: string): Promise<Tenant> {
  const org = await createOrg(server.db, `Bench ${label}`);
  const email = `bench-${label}-${randomBytes(3).toString('hex')}@example.test`;
  const user = await createUser(server.db, { email, password: PASSWORD });
  await setMembership(server.db, org.id, user.id, 'admin');
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`bench: login failed with HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const { token } = (await res.json()) as { token?: string };
  if (!token) throw new Error('bench: the login response carried no token');
  return { orgId: org.id, userId: user.id, token, transport: { baseUrl: server.url, getToken: () => token } };
}

/** Documents of a collection stored for one org, straight from the database (row-level scope: that org). */
export async function serverCount(server: RunningServer, orgId: string, collection = 'printers'): Promise<number> {
  const res = await withScope(server.db, { all: false, orgIds: [orgId] }, (c) =>
    c.query<{ n: number }>('SELECT count(*)::int AS n FROM documents WHERE collection = $1 AND org_id = $2', [collection, orgId]),
  );
  return res.rows[0]?.n ?? 0;
}
