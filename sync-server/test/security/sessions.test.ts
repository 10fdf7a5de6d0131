import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, TEST_PASSWORD, type TestEnv } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';

let env: TestEnv;
let orgId: string;
let adminToken: string;

async function login(email: string, ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0') {
  const r = await call<{ accessToken: string; sessionId: string }>(env.url, '/api/auth/login', {
    body: { email, password: TEST_PASSWORD },
    headers: { 'user-agent': ua },
  });
  expect(r.status).toBe(200);
  return { access: r.body.accessToken, sessionId: r.body.sessionId, cookies: r.cookies };
}

beforeAll(async () => {
  env = await startTestEnv({ accessTtlSeconds: 60 });
  orgId = await env.org('Sessions Org');
  adminToken = (await env.user('root@sessions.test', { [orgId]: 'admin' }, 'owner')).token;
  await env.user('sam@sessions.test', { [orgId]: 'operator' });
});
afterAll(async () => {
  await env.stop();
});

describe('sessions', () => {
  it('the refresh cookie is httpOnly, SameSite=Strict and scoped to the auth path', async () => {
    const r = await call(env.url, '/api/auth/login', { body: { email: 'sam@sessions.test', password: TEST_PASSWORD } });
    const refresh = r.headers.getSetCookie().find((c) => c.startsWith('fs_refresh='))!;
    expect(refresh).toMatch(/HttpOnly/i);
    expect(refresh).toMatch(/SameSite=Strict/i);
    expect(refresh).toMatch(/Path=\/api\/auth/);
    expect(JSON.stringify(r.body)).not.toContain(r.cookies.fs_refresh!);
  });

  it('refresh rotates the token; presenting a used one revokes the whole session', async () => {
    const s = await login('sam@sessions.test');
    const first = await call<{ accessToken: string }>(env.url, '/api/auth/refresh', {
      method: 'POST',
      cookies: s.cookies,
      headers: { 'x-csrf-token': s.cookies.fs_csrf! },
    });
    expect(first.status).toBe(200);
    expect(first.cookies.fs_refresh).not.toBe(s.cookies.fs_refresh);
    expect((await call(env.url, '/api/me', { token: first.body.accessToken })).status).toBe(200);

    // An attacker replays the old refresh token.
    const replay = await call(env.url, '/api/auth/refresh', {
      method: 'POST',
      cookies: s.cookies,
      headers: { 'x-csrf-token': s.cookies.fs_csrf! },
    });
    expect(replay.status).toBe(401);
    expect(codeOf(replay)).toBe('REFRESH_REUSED');
    // Both the legitimate access token and the rotated refresh token are now dead.
    expect(codeOf(await call(env.url, '/api/me', { token: first.body.accessToken }))).toBe('SESSION_REVOKED');
    const rotated = await call(env.url, '/api/auth/refresh', {
      method: 'POST',
      cookies: first.cookies,
      headers: { 'x-csrf-token': first.cookies.fs_csrf! },
    });
    expect(rotated.status).toBe(401);
    const audit = await env.db.query("SELECT 1 FROM audit_log WHERE action = 'auth.refresh_reuse_detected' AND target = $1", [
      `session:${s.sessionId}`,
    ]);
    expect(audit.rowCount).toBe(1);
  });

  it('a cookie-authenticated refresh without the CSRF token is refused', async () => {
    const s = await login('sam@sessions.test');
    const noHeader = await call(env.url, '/api/auth/refresh', { method: 'POST', cookies: s.cookies });
    expect(noHeader.status).toBe(403);
    expect(codeOf(noHeader)).toBe('CSRF_FAILED');
    const wrong = await call(env.url, '/api/auth/refresh', {
      method: 'POST',
      cookies: s.cookies,
      headers: { 'x-csrf-token': 'guess' },
    });
    expect(codeOf(wrong)).toBe('CSRF_FAILED');
  });

  it('lists sessions with device, address and times; revokes one; signs out everywhere else', async () => {
    const phone = await login('sam@sessions.test', 'Mozilla/5.0 (Linux; Android 14) Chrome/156.0 Mobile');
    const laptop = await login('sam@sessions.test');
    const list = await call<{
      sessions: { id: string; device: string; ip: string; createdAt: string; lastSeenAt: string; current: boolean }[];
    }>(env.url, '/api/sessions', { token: laptop.access });
    const mine = list.body.sessions.find((x) => x.id === phone.sessionId)!;
    expect(mine).toMatchObject({ device: 'Chrome on Android', current: false });
    expect(mine.ip).toBeTruthy();
    expect(list.body.sessions.find((x) => x.id === laptop.sessionId)?.current).toBe(true);

    expect((await call(env.url, `/api/sessions/${phone.sessionId}`, { method: 'DELETE', token: laptop.access })).status).toBe(
      204,
    );
    expect(codeOf(await call(env.url, '/api/me', { token: phone.access }))).toBe('SESSION_REVOKED');

    const other = await login('sam@sessions.test');
    const everywhere = await call<{ revoked: number }>(env.url, '/api/sessions', { method: 'DELETE', token: laptop.access });
    expect(everywhere.body.revoked).toBeGreaterThanOrEqual(1);
    expect((await call(env.url, '/api/me', { token: other.access })).status).toBe(401);
    expect((await call(env.url, '/api/me', { token: laptop.access })).status).toBe(200);
  });

  it("a user cannot revoke or see another user's session; admins can force a logout", async () => {
    const victim = await login('sam@sessions.test');
    const bystander = await env.user('eve@sessions.test', { [orgId]: 'viewer' });
    const attempt = await call(env.url, `/api/sessions/${victim.sessionId}`, { method: 'DELETE', token: bystander.token });
    expect(attempt.status).toBe(404);
    expect(codeOf(await call(env.url, '/api/admin/sessions', { token: bystander.token }))).toBe('FORBIDDEN');

    const all = await call<{ sessions: { id: string }[] }>(env.url, '/api/admin/sessions', { token: adminToken });
    expect(all.body.sessions.map((x) => x.id)).toContain(victim.sessionId);
    expect((await call(env.url, `/api/admin/sessions/${victim.sessionId}`, { method: 'DELETE', token: adminToken })).status).toBe(
      204,
    );
    expect((await call(env.url, '/api/me', { token: victim.access })).status).toBe(401);
  });

  it('the per-user "not valid before" stamp kills access tokens already handed out', async () => {
    const a = await login('sam@sessions.test');
    const b = await login('sam@sessions.test');
    const user = (await env.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'sam@sessions.test'")).rows[0]!;
    const r = await call(env.url, `/api/admin/users/${user.id}/sign-out`, { method: 'POST', token: adminToken });
    expect(r.status).toBe(200);
    for (const t of [a.access, b.access]) expect((await call(env.url, '/api/me', { token: t })).status).toBe(401);
  });

  it('forged, tampered and expired access tokens are refused with distinct codes', async () => {
    const s = await login('sam@sessions.test');
    const [prefix, payload, sig] = s.access.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString(
      'base64url',
    );
    expect(codeOf(await call(env.url, '/api/me', { token: `${prefix}.${elevated}.${sig}` }))).toBe('TOKEN_MALFORMED');
    const short = await startTestEnv({ accessTtlSeconds: 1 });
    try {
      const o = await short.org('o');
      const u = await short.user('brief@sessions.test', { [o]: 'viewer' });
      await new Promise((r) => setTimeout(r, 2100));
      const expired = await call(short.url, '/api/me', { token: u.token });
      expect(expired.status).toBe(401);
      expect(codeOf(expired)).toBe('TOKEN_EXPIRED');
    } finally {
      await short.stop();
    }
  });

  it('an idle session ends after the idle timeout even with a valid access token', async () => {
    const idle = await startTestEnv({ sessionIdleSeconds: 1, accessTtlSeconds: 600 });
    try {
      const o = await idle.org('o');
      const u = await idle.user('idle@sessions.test', { [o]: 'viewer' });
      expect((await call(idle.url, '/api/me', { token: u.token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      expect(codeOf(await call(idle.url, '/api/me', { token: u.token }))).toBe('SESSION_REVOKED');
    } finally {
      await idle.stop();
    }
  });
});
