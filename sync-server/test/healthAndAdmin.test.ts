import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../src/cli/admin.js';
import { startTestEnv, type TestEnv } from './support/testServer.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => {
  await env.stop();
});

async function admin(...argv: string[]) {
  const lines: string[] = [];
  const code = await runAdmin(argv, (l) => lines.push(l), { DATABASE_URL: env.database.url });
  return { code, out: lines.join('\n') };
}

describe('health endpoints', () => {
  it('/healthz says the process is alive and /readyz that the database and migrations are current', async () => {
    const health = await fetch(`${env.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${env.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', migrations: { current: true } });
  });

  it('/readyz reports pending migrations as not ready', async () => {
    await env.db.query('DELETE FROM schema_migrations WHERE version = 1');
    try {
      const ready = await fetch(`${env.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'migrations-pending' });
    } finally {
      await env.db.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'identity_and_documents')");
    }
  });

  it('unknown API paths answer with the standard error body', async () => {
    const res = await fetch(`${env.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such API endpoint' } });
  });
});

describe('admin CLI', () => {
  it('creates an org and a user with a role who can then sign in; lists both; resets the password', async () => {
    const org = await admin('org:create', 'Robotics Lab');
    expect(org.code).toBe(0);
    const slug = /slug ([^)]+)\)/.exec(org.out)![1]!;
    const user = await admin('user:create', 'tech@lab.test', slug, 'operator');
    expect(user.code).toBe(0);
    const password = /shown once\): (\S+)/.exec(user.out)![1]!;

    const login = await fetch(`${env.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tech@lab.test', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    expect((await admin('orgs')).out).toContain('Robotics Lab');
    expect((await admin('users')).out).toMatch(/tech@lab\.test.*Robotics Lab:operator/);

    const reset = await admin('user:reset-password', 'tech@lab.test', '--password', 'New-Passw0rd!');
    expect(reset.code).toBe(0);
    // The reset signs the user out everywhere.
    const me = await fetch(`${env.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    const relogin = await fetch(`${env.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tech@lab.test', password: 'New-Passw0rd!' }),
    });
    expect(relogin.status).toBe(200);
  });

  it('refuses unknown roles and orgs with a clear message', async () => {
    expect(await admin('user:create', 'x@y.test', 'no-such-org', 'operator')).toMatchObject({
      code: 1,
      out: 'error: no org no-such-org',
    });
    expect((await admin('user:create', 'x@y.test', 'no-such-org', 'wizard')).out).toContain('role must be one of');
  });

  it('login with a wrong password is refused without saying which part was wrong', async () => {
    const res = await fetch(`${env.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@lab.test', password: 'whatever' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS', message: 'email or password is wrong' } });
  });
});
