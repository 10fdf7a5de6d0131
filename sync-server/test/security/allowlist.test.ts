import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '@fleetsync/shared';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';
import { printerDoc, row } from '../support/docs.js';

// Requests arrive from loopback; the server trusts X-Forwarded-For from a loopback proxy,
// so a test can speak as any client address.
let env: TestEnv;
let orgId: string;
let owner: TestUser;
let orgAdmin: TestUser;

beforeAll(async () => {
  env = await startTestEnv();
  orgId = await env.org('Allowlist Org');
  owner = await env.user('owner@allow.test', {}, 'owner');
  orgAdmin = await env.user('admin@allow.test', { [orgId]: 'admin' });
  await call(env.url, '/api/sync/printers/push', {
    body: { rows: [row(printerDoc(orgId, { name: 'lab printer' }))] },
    token: orgAdmin.token,
  });
});
afterAll(async () => {
  await env.stop();
});

const put = (token: string, body: unknown, ip = '10.1.2.3') =>
  call(env.url, '/api/config/ip-allowlist', { method: 'PUT', body, token, ip });

describe('IP allowlist', () => {
  it('validates IPv4 and IPv6 CIDRs', async () => {
    expect(codeOf(await put(owner.token, { cidrs: ['10.0.0.0/33'] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(await put(owner.token, { cidrs: ['not-an-ip'] }))).toBe('VALIDATION_FAILED');
    expect(codeOf(await put(owner.token, { cidrs: ['2001:db8::/129'] }))).toBe('VALIDATION_FAILED');
    const ok = await put(owner.token, { cidrs: ['10.0.0.0/8', '2001:db8::/32'], loopbackBypass: true });
    expect(ok.status).toBe(200);
    await put(owner.token, { cidrs: [] });
  });

  it('refuses a change that would lock the caller out, with 409 and an explanation', async () => {
    const r = await put(owner.token, { cidrs: ['192.0.2.0/24'], loopbackBypass: false }, '10.1.2.3');
    expect(r.status).toBe(409);
    expect(codeOf(r)).toBe('LOCKOUT_PREVENTED');
    expect(JSON.stringify(r.body)).toContain('10.1.2.3');
  });

  it('instance list (UI+API) refuses other addresses with 403 and a clear code', async () => {
    expect((await put(owner.token, { cidrs: ['10.0.0.0/8'], loopbackBypass: false, mode: 'all' })).status).toBe(200);
    try {
      const outside = await call(env.url, '/api/me', { token: orgAdmin.token, ip: '203.0.113.5' });
      expect(outside.status).toBe(403);
      expect(codeOf(outside)).toBe('IP_NOT_ALLOWED');
      const login = await call(env.url, '/api/auth/login', { body: { email: 'x@y.z', password: 'whatever' }, ip: '203.0.113.5' });
      expect(codeOf(login)).toBe('IP_NOT_ALLOWED');
      expect((await call(env.url, '/api/me', { token: orgAdmin.token, ip: '10.9.9.9' })).status).toBe(200);
      expect((await call(env.url, '/healthz', { ip: '203.0.113.5' })).status).toBe(200);
    } finally {
      await put(owner.token, { cidrs: [] });
    }
  });

  it('API-only mode lets sessions in and keeps tokens out', async () => {
    const t = await call<{ token: string }>(env.url, '/api/tokens', {
      body: { name: 'remote', scopes: ['read:printers'], expiresInDays: 1 },
      token: orgAdmin.token,
    });
    expect((await put(owner.token, { cidrs: ['10.0.0.0/8'], loopbackBypass: false, mode: 'api' })).status).toBe(200);
    try {
      expect((await call(env.url, '/api/me', { token: orgAdmin.token, ip: '203.0.113.5' })).status).toBe(200);
      expect(codeOf(await call(env.url, '/api/sync/printers/pull', { body: {}, token: t.body.token, ip: '203.0.113.5' }))).toBe(
        'IP_NOT_ALLOWED',
      );
    } finally {
      await put(owner.token, { cidrs: [] });
    }
  });

  it('an org list hides that org from other addresses; only its admin may set it', async () => {
    const viewer = await env.user('viewer@allow.test', { [orgId]: 'viewer' });
    expect((await put(viewer.token, { orgId, cidrs: ['10.0.0.0/8'] })).status).toBe(403);
    expect((await put(orgAdmin.token, { orgId, cidrs: ['10.0.0.0/8'], loopbackBypass: false })).status).toBe(200);
    const inside = await call<PullResponse>(env.url, '/api/sync/printers/pull', {
      body: {},
      token: viewer.token,
      ip: '10.4.4.4',
    });
    expect(inside.body.documents.map((d) => d.name)).toContain('lab printer');
    const outside = await call<PullResponse>(env.url, '/api/sync/printers/pull', {
      body: {},
      token: viewer.token,
      ip: '203.0.113.7',
    });
    expect(outside.body.documents).toEqual([]);
    await put(orgAdmin.token, { orgId, cidrs: [] });
  });
});
