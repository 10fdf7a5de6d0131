import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, TEST_PASSWORD, type TestEnv, type TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';

let env: TestEnv;
let orgId: string;

beforeAll(async () => {
  env = await startTestEnv();
  orgId = await env.org('MFA Org');
});
afterAll(async () => {
  await env.stop();
});

const now = () => Math.floor(Date.now() / 1000);
/** A code for a given 30 s step offset from now. */
const codeAt = (secret: string, stepOffset = 0) => generate({ secret, epoch: now() + stepOffset * 30 });

async function enrol(u: TestUser) {
  const setup = await call<{ otpauthUri: string; qrDataUrl: string; secret: string }>(env.url, '/api/auth/mfa/setup', {
    method: 'POST',
    token: u.token,
  });
  expect(setup.status).toBe(200);
  const confirm = await call<{ backupCodes: string[] }>(env.url, '/api/auth/mfa/confirm', {
    body: { code: await codeAt(setup.body.secret) },
    token: u.token,
  });
  expect(confirm.status).toBe(200);
  return { secret: setup.body.secret, backupCodes: confirm.body.backupCodes, setup: setup.body };
}

async function passwordStep(email: string, ip?: string) {
  const r = await call<{ mfaRequired?: boolean; mfaToken?: string; accessToken?: string }>(env.url, '/api/auth/login', {
    body: { email, password: TEST_PASSWORD },
    ip,
  });
  expect(r.status).toBe(200);
  return r.body;
}

describe('TOTP enrolment', () => {
  it('returns an otpauth URI and a QR code, stores the secret encrypted, and needs a first code', async () => {
    const u = await env.user('enrol@mfa.test', { [orgId]: 'operator' });
    const setup = await call<{ otpauthUri: string; qrDataUrl: string; secret: string }>(env.url, '/api/auth/mfa/setup', {
      method: 'POST',
      token: u.token,
    });
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Fleetsync:enrol%40mfa\.test\?secret=[A-Z2-7]+/);
    expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const stored = (
      await env.db.query<{ secret_enc: string; enabled_at: Date | null }>(
        'SELECT secret_enc, enabled_at FROM user_mfa WHERE user_id = $1',
        [u.id],
      )
    ).rows[0]!;
    expect(stored.secret_enc).not.toContain(setup.body.secret);
    expect(stored.secret_enc.startsWith('v1.')).toBe(true);
    expect(stored.enabled_at).toBeNull();
    // Not on until a code confirms it: the next sign-in needs no code.
    expect((await passwordStep('enrol@mfa.test')).mfaRequired).toBeUndefined();
    const wrong = await call(env.url, '/api/auth/mfa/confirm', { body: { code: '000000' }, token: u.token });
    expect(codeOf(wrong)).toBe('MFA_INVALID');
    const ok = await call<{ backupCodes: string[] }>(env.url, '/api/auth/mfa/confirm', {
      body: { code: await codeAt(setup.body.secret) },
      token: u.token,
    });
    expect(ok.body.backupCodes).toHaveLength(10);
    const hashes = (
      await env.db.query<{ code_hash: string }>('SELECT code_hash FROM mfa_backup_codes WHERE user_id = $1', [u.id])
    ).rows;
    expect(hashes).toHaveLength(10);
    expect(JSON.stringify(hashes)).not.toContain(ok.body.backupCodes[0]!);
  });
});

describe('sign-in with TOTP', () => {
  it('asks for a code after the password, creates no session before it, and refuses a replayed code', async () => {
    const u = await env.user('replay@mfa.test', { [orgId]: 'operator' });
    const { secret } = await enrol(u);
    const before = (await env.db.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [u.id])).rows[0].n;
    const step1 = await passwordStep('replay@mfa.test');
    expect(step1).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
    expect((await env.db.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [u.id])).rows[0].n).toBe(before);

    // The code of the next step (clock one step ahead) is accepted once: ±1 step tolerance...
    const code = await codeAt(secret, 1);
    const ok = await call<{ accessToken: string }>(env.url, '/api/auth/mfa/verify', { body: { mfaToken: step1.mfaToken, code } });
    expect(ok.status).toBe(200);
    expect((await call(env.url, '/api/me', { token: ok.body.accessToken })).status).toBe(200);
    // ...and never twice, nor any code of an earlier step (RFC 6238 §5.2).
    const again = await passwordStep('replay@mfa.test');
    const replay = await call(env.url, '/api/auth/mfa/verify', { body: { mfaToken: again.mfaToken, code } });
    expect(codeOf(replay)).toBe('MFA_INVALID');
    const older = await call(env.url, '/api/auth/mfa/verify', {
      body: { mfaToken: again.mfaToken, code: await codeAt(secret, 0) },
    });
    expect(codeOf(older)).toBe('MFA_INVALID');
    // Two steps away is outside the tolerance.
    const far = await call(env.url, '/api/auth/mfa/verify', {
      body: { mfaToken: again.mfaToken, code: await codeAt(secret, 3) },
    });
    expect(codeOf(far)).toBe('MFA_INVALID');
  });

  it('backup codes work once each', async () => {
    const u = await env.user('backup@mfa.test', { [orgId]: 'operator' });
    const { backupCodes } = await enrol(u);
    const s1 = await passwordStep('backup@mfa.test');
    const first = await call(env.url, '/api/auth/mfa/verify', {
      body: { mfaToken: s1.mfaToken, backupCode: backupCodes[0]!.toLowerCase() },
    });
    expect(first.status).toBe(200);
    const s2 = await passwordStep('backup@mfa.test');
    const reuse = await call(env.url, '/api/auth/mfa/verify', { body: { mfaToken: s2.mfaToken, backupCode: backupCodes[0] } });
    expect(codeOf(reuse)).toBe('MFA_INVALID');
    const other = await call(env.url, '/api/auth/mfa/verify', { body: { mfaToken: s2.mfaToken, backupCode: backupCodes[1] } });
    expect(other.status).toBe(200);
  });

  it('guessing is throttled per account across sessions and addresses, with Retry-After', async () => {
    const u = await env.user('brute@mfa.test', { [orgId]: 'operator' });
    const { secret } = await enrol(u);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = await passwordStep('brute@mfa.test', `198.51.100.${i + 1}`);
      const r = await call(env.url, '/api/auth/mfa/verify', {
        body: { mfaToken: s.mfaToken, code: String(100000 + i) },
        ip: `198.51.100.${i + 1}`,
      });
      statuses.push(r.status);
      if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right code is refused while throttled.
    const s = await passwordStep('brute@mfa.test', '198.51.100.99');
    const right = await call(env.url, '/api/auth/mfa/verify', {
      body: { mfaToken: s.mfaToken, code: await codeAt(secret) },
      ip: '198.51.100.99',
    });
    expect(right.status).toBe(429);
  });

  it('password guessing is throttled per account too', async () => {
    await env.user('pwbrute@mfa.test', { [orgId]: 'viewer' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await call(env.url, '/api/auth/login', {
        body: { email: 'pwbrute@mfa.test', password: `Wrong-${i}-Aa` },
        ip: `203.0.113.${i + 1}`,
      });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.at(-1)).toBe(429);
    const failures = await env.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND actor_label = 'pwbrute@mfa.test'",
    );
    expect(failures.rows[0].n).toBe(10);
  });

  it('turning MFA off needs a current code; an admin override is audited', async () => {
    const u = await env.user('off@mfa.test', { [orgId]: 'operator' });
    const { secret } = await enrol(u);
    const session = await call<{ accessToken: string }>(env.url, '/api/auth/mfa/verify', {
      body: { mfaToken: (await passwordStep('off@mfa.test')).mfaToken, code: await codeAt(secret, 1) },
    });
    const noCode = await call(env.url, '/api/auth/mfa', { method: 'DELETE', body: {}, token: session.body.accessToken });
    expect(codeOf(noCode)).toBe('MFA_INVALID');

    const owner = await env.user('owner@mfa.test', {}, 'owner');
    const notAdmin = await call(env.url, `/api/admin/users/${u.id}/mfa`, { method: 'DELETE', token: session.body.accessToken });
    expect(notAdmin.status).toBe(403);
    const override = await call(env.url, `/api/admin/users/${u.id}/mfa`, { method: 'DELETE', token: owner.token });
    expect(override.status).toBe(204);
    const row = await env.db.query("SELECT actor_id FROM audit_log WHERE action = 'admin.mfa_override' AND target = $1", [
      `user:${u.id}`,
    ]);
    expect(row.rows[0].actor_id).toBe(owner.id);
    expect((await passwordStep('off@mfa.test')).mfaRequired).toBeUndefined();
  });

  it('require-MFA sends users without MFA through setup before anything else', async () => {
    const orgAdmin = await env.user('admin@req.test', { [orgId]: 'admin' });
    const set = await call(env.url, '/api/config/require-mfa', {
      method: 'PUT',
      body: { orgId, enabled: true },
      token: orgAdmin.token,
    });
    expect(set.status).toBe(200);
    await env.user('newbie@req.test', { [orgId]: 'operator' });
    const login = await call<{ accessToken: string; mfaSetupRequired: boolean }>(env.url, '/api/auth/login', {
      body: { email: 'newbie@req.test', password: TEST_PASSWORD },
    });
    expect(login.body.mfaSetupRequired).toBe(true);
    const token = login.body.accessToken;
    const pull = await call(env.url, '/api/sync/printers/pull', { body: {}, token });
    expect(codeOf(pull)).toBe('MFA_SETUP_REQUIRED');
    const setup = await call<{ secret: string }>(env.url, '/api/auth/mfa/setup', { method: 'POST', token });
    await call(env.url, '/api/auth/mfa/confirm', { body: { code: await codeAt(setup.body.secret) }, token });
    expect((await call(env.url, '/api/sync/printers/pull', { body: {}, token })).status).toBe(200);
    await call(env.url, '/api/config/require-mfa', { method: 'PUT', body: { orgId, enabled: false }, token: orgAdmin.token });
    // Only platform admins change the instance-wide switch.
    expect(
      (await call(env.url, '/api/config/require-mfa', { method: 'PUT', body: { enabled: true }, token: orgAdmin.token })).status,
    ).toBe(403);
  });
});
