import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/auditLog.js';
import { appRoleUrl } from '../../src/db/appRole.js';
import { runAdmin } from '../../src/cli/admin.js';
import { startTestEnv, TEST_PASSWORD, type TestEnv, type TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';

let env: TestEnv;
let orgA: string;
let owner: TestUser;
let orgAdmin: TestUser;

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Audit A');
  owner = await env.user('owner@audit.test', {}, 'owner');
  orgAdmin = await env.user('admin@audit.test', { [orgA]: 'admin' });
  await call(env.url, '/api/auth/login', {
    body: { email: 'admin@audit.test', password: 'Wrong-Password-1' },
    headers: { 'user-agent': 'audit-test' },
  });
  await call(env.url, '/api/tokens', {
    body: { name: 'audited', scopes: ['read:printers'], expiresInDays: 3, orgId: orgA },
    token: orgAdmin.token,
  });
  await call(env.url, '/api/config/require-mfa', { method: 'PUT', body: { orgId: orgA, enabled: false }, token: orgAdmin.token });
});
afterAll(async () => {
  await env.stop();
});

type Entries = {
  entries: {
    id: number;
    org_id: string | null;
    action: string;
    actor_label: string;
    details: Record<string, unknown>;
    ip: string;
    user_agent: string;
  }[];
  nextBefore: number | null;
};

describe('audit log', () => {
  it('records authentication, security and admin events with actor, address and agent, never secrets', async () => {
    const r = await call<Entries>(env.url, '/api/audit?limit=100', { token: owner.token });
    const actions = r.body.entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['auth.login', 'auth.login_failed', 'token.created', 'config.require_mfa_changed']),
    );
    const failed = r.body.entries.find((e) => e.action === 'auth.login_failed')!;
    expect(failed).toMatchObject({ actor_label: 'admin@audit.test', user_agent: 'audit-test' });
    expect(failed.ip).toBeTruthy();
    const all = JSON.stringify(r.body);
    expect(all).not.toContain('Wrong-Password-1');
    expect(all).not.toContain(TEST_PASSWORD);
    expect(all).not.toMatch(/fst_[A-Za-z0-9_-]{43}/);
  });

  it('filters by actor, action, org and date, pages, and exports CSV', async () => {
    const byAction = await call<Entries>(env.url, '/api/audit?action=token.', { token: owner.token });
    expect(byAction.body.entries.every((e) => e.action.startsWith('token.'))).toBe(true);
    const byActor = await call<Entries>(env.url, '/api/audit?actor=admin@audit.test', { token: owner.token });
    expect(byActor.body.entries.length).toBeGreaterThan(0);
    expect(byActor.body.entries.every((e) => e.actor_label === 'admin@audit.test')).toBe(true);
    const future = await call<Entries>(
      env.url,
      `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`,
      { token: owner.token },
    );
    expect(future.body.entries).toEqual([]);
    const page1 = await call<Entries>(env.url, '/api/audit?limit=2', { token: owner.token });
    const page2 = await call<Entries>(env.url, `/api/audit?limit=2&before=${page1.body.nextBefore}`, { token: owner.token });
    expect(page2.body.entries[0]!.id).toBeLessThan(page1.body.entries[1]!.id + 1);
    const csv = await call<string>(env.url, '/api/audit?format=csv', { token: owner.token });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('id,at,actor_label,actor_id,org_id,ip,user_agent,action,target,details');
    expect(csv.body).toContain('"token.created"');
  });

  it('an org admin sees only their org; a member without the capability sees nothing', async () => {
    const r = await call<Entries>(env.url, '/api/audit', { token: orgAdmin.token });
    expect(r.body.entries.length).toBeGreaterThan(0);
    expect(r.body.entries.every((e) => e.org_id === orgA)).toBe(true);
    const viewer = await env.user('viewer@audit.test', { [orgA]: 'viewer' });
    expect(codeOf(await call(env.url, '/api/audit', { token: viewer.token }))).toBe('FORBIDDEN');
  });

  it('the application role cannot update or delete audit rows', async () => {
    const app = new pg.Client({ connectionString: appRoleUrl(env.database.url) });
    await app.connect();
    try {
      await expect(app.query("UPDATE audit_log SET action = 'nothing happened'")).rejects.toThrow(/permission denied/);
      await expect(app.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
      const n = await app.query('SELECT count(*)::int AS n FROM audit_log');
      expect(n.rows[0].n).toBeGreaterThan(0);
    } finally {
      await app.end();
    }
  });

  it('a row tampered with in the database is detected, and the CLI reports the first bad row', async () => {
    expect(await verifyAuditChain(env.db)).toMatchObject({ ok: true });
    const victim = (
      await env.db.query<{ id: number }>("SELECT id FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id LIMIT 1")
    ).rows[0]!;
    // Someone with the owner's credentials disables the guard and rewrites history.
    await env.db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await env.db.query("UPDATE audit_log SET action = 'auth.login' WHERE id = $1", [victim.id]);
    await env.db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    const report = await verifyAuditChain(env.db);
    expect(report).toMatchObject({ ok: false, firstBadId: victim.id });

    const lines: string[] = [];
    const code = await runAdmin(['audit', 'verify'], (l) => lines.push(l), { DATABASE_URL: env.database.url });
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain(`first bad row: ${victim.id}`);
  });
});
