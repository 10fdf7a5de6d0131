/** An in-process server on port 0 against a throwaway database, plus helpers to act as users. */
import { pino } from 'pino';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type OrgRole } from '@fleetsync/shared';
import { configFromEnv, type ServerConfig } from '../../src/config.js';
import { randomKeys } from '../../src/security/keys.js';
import { createPool, type Db } from '../../src/db/pool.js';
import { createOrg, createUser, setMembership } from '../../src/identity/identityRepo.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './testDb.js';

export const TEST_PASSWORD = 'Correct-Horse-42';

export interface TestEnv {
  config: ServerConfig;
  db: Db;
  database: TestDatabase;
  server: RunningServer;
  url: string;
  /** Extra instances on the same database (multi-instance tests). */
  startInstance(): Promise<RunningServer>;
  org(name: string): Promise<string>;
  user(email: string, memberships: Record<string, OrgRole>, platformRole?: string): Promise<TestUser>;
  stop(): Promise<void>;
}

export interface TestUser {
  id: string;
  email: string;
  token: string;
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
}

export async function startTestEnv(overrides: Partial<ServerConfig> = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const config = configFromEnv(
    { DATABASE_URL: database.url },
    { port: 0, host: '127.0.0.1', logLevel: 'silent', keys: randomKeys(), ...overrides },
  );
  const log = pino({ level: 'silent' });
  const server = await startServer(config, { log, migrate: false });
  const db = createPool(database.url, 3);
  const extra: RunningServer[] = [];

  const env: TestEnv = {
    config,
    db,
    database,
    server,
    url: server.url,
    async startInstance() {
      const s = await startServer(config, { log, migrate: false });
      extra.push(s);
      return s;
    },
    async org(name) {
      return (await createOrg(db, name)).id;
    },
    async user(email, memberships, platformRole) {
      const u = await createUser(db, { email, password: TEST_PASSWORD, platformRole: platformRole ?? null });
      for (const [orgId, role] of Object.entries(memberships)) await setMembership(db, orgId, u.id, role);
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: TEST_PASSWORD }),
      });
      const { token } = (await res.json()) as { token: string };
      return userHandle(server.url, u.id, email, token);
    },
    async stop() {
      for (const s of extra) await s.stop();
      await server.stop();
      await db.end();
      await database.drop();
    },
  };
  return env;
}

export function userHandle(baseUrl: string, id: string, email: string, token: string): TestUser {
  const api: TestUser['api'] = (path, init = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        authorization: `Bearer ${token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return {
    id,
    email,
    token,
    api,
    async json(path, init) {
      const res = await api(path, init);
      return { status: res.status, body: (await res.json()) as never };
    },
  };
}
