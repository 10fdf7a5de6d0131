import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '@fleetsync/shared';
import { setMembership } from '../../src/identity/identityRepo.js';
import { startTestEnv, type TestEnv, type TestUser } from '../support/testServer.js';
import { call, codeOf } from '../support/http.js';
import { printerDoc, row } from '../support/docs.js';
import { eventually } from '../support/nodeReplica.js';

let env: TestEnv;
let orgA: string;
let orgB: string;
let alice: TestUser; // manager in A, viewer in B

beforeAll(async () => {
  env = await startTestEnv();
  orgA = await env.org('Tokens A');
  orgB = await env.org('Tokens B');
  alice = await env.user('alice@tokens.test', { [orgA]: 'manager', [orgB]: 'viewer' });
  const bobAdmin = await env.user('bob@tokens.test', { [orgB]: 'admin' });
  await call(env.url, '/api/sync/printers/push', {
    body: { rows: [row(printerDoc(orgB, { name: 'B printer' }))] },
    token: bobAdmin.token,
  });
});
afterAll(async () => {
  await env.stop();
});

async function newToken(body: Record<string, unknown>, as: TestUser = alice) {
  const r = await call<{ token: string; id: string; scopes: string[]; expiresAt: string }>(env.url, '/api/tokens', {
    body,
    token: as.token,
  });
  expect(r.status).toBe(201);
  return r.body;
}

describe('scoped API tokens', () => {
  it('are shown once with a prefix and checksum, stored only as a hash, listed without the secret', async () => {
    const t = await newToken({ name: 'grafana', scopes: ['read:printers'], expiresInDays: 30 });
    expect(t.token).toMatch(/^fst_[A-Za-z0-9_-]{43}_[0-9a-f]{8}$/);
    const stored = (await env.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [t.id])).rows[0];
    expect(stored.token_hash).not.toContain(t.token);
    const list = await call<{ tokens: Record<string, unknown>[] }>(env.url, '/api/tokens', { token: alice.token });
    expect(JSON.stringify(list.body)).not.toContain(t.token);
    expect(list.body.tokens.find((x) => x.id === t.id)).toMatchObject({ name: 'grafana', lastEight: t.token.slice(-8) });
  });

  it('work as Bearer and as X-API-Key on REST and sync, and record last use', async () => {
    const t = await newToken({ name: 'ci', scopes: ['read:printers'], expiresInDays: 7 });
    const viaBearer = await call<PullResponse>(env.url, '/api/sync/printers/pull', { body: {}, token: t.token });
    expect(viaBearer.status).toBe(200);
    const viaKey = await call<PullResponse>(env.url, '/api/sync/printers/pull', { body: {}, headers: { 'x-api-key': t.token } });
    expect(viaKey.status).toBe(200);
    const used = (await env.db.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [t.id])).rows[0];
    expect(used.last_used_at).not.toBeNull();
  });

  it('refuse a malformed token before any lookup, and expired or revoked ones after', async () => {
    const t = await newToken({ name: 'short', scopes: ['read:printers'], expiresInDays: 1 });
    const flipped = t.token.slice(0, -1) + (t.token.endsWith('0') ? '1' : '0');
    expect(codeOf(await call(env.url, '/api/me', { token: flipped }))).toBe('TOKEN_MALFORMED');
    await env.db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [t.id]);
    const expired = await call(env.url, '/api/sync/printers/pull', { body: {}, token: t.token });
    expect(expired.status).toBe(401);
    expect(codeOf(expired)).toBe('TOKEN_EXPIRED');

    const r = await newToken({ name: 'revoke-me', scopes: ['read:printers'], expiresInDays: 1 });
    expect((await call(env.url, `/api/tokens/${r.id}`, { method: 'DELETE', token: alice.token })).status).toBe(204);
    expect((await call(env.url, '/api/sync/printers/pull', { body: {}, token: r.token })).status).toBe(401);
  });

  it('expire after at most 365 days', async () => {
    const r = await call(env.url, '/api/tokens', {
      body: { name: 'forever', scopes: ['read:jobs'], expiresInDays: 400 },
      token: alice.token,
    });
    expect(codeOf(r)).toBe('VALIDATION_FAILED');
  });

  it('a wrong-scope token cannot write, on sync or anywhere', async () => {
    const t = await newToken({ name: 'reader', scopes: ['read:printers'], expiresInDays: 7 });
    const doc = printerDoc(orgA);
    const push = await call<PushResponse>(env.url, '/api/sync/printers/push', { body: { rows: [row(doc)] }, token: t.token });
    expect(push.body.rejections[0]).toMatchObject({ id: doc.id, code: 'ORG_FORBIDDEN' });
    const jobs = await call<PullResponse>(env.url, '/api/sync/jobs/pull', { body: {}, token: t.token });
    expect(jobs.body.documents).toEqual([]);
    // Tokens cannot mint tokens or manage sessions.
    expect(
      (await call(env.url, '/api/tokens', { body: { name: 'x', scopes: ['admin'], expiresInDays: 1 }, token: t.token })).status,
    ).toBe(403);
    expect((await call(env.url, '/api/sessions', { token: t.token })).status).toBe(403);
  });

  it('a token bound to org A sees and touches nothing of org B', async () => {
    const t = await newToken({ name: 'org-a', scopes: ['read:printers', 'write:printers'], expiresInDays: 7, orgId: orgA });
    const pulled = await call<PullResponse>(env.url, '/api/sync/printers/pull', { body: {}, token: t.token });
    expect(pulled.body.documents.map((d) => d.name)).not.toContain('B printer');
    const intoB = printerDoc(orgB);
    const push = await call<PushResponse>(env.url, '/api/sync/printers/push', { body: { rows: [row(intoB)] }, token: t.token });
    expect(push.body.rejections[0]?.code).toBe('ORG_FORBIDDEN');
  });

  it("never exceeds the owner's current rights: a demoted owner's token loses write at once", async () => {
    const carol = await env.user('carol@tokens.test', { [orgA]: 'manager' });
    const t = await newToken({ name: 'writer', scopes: ['read:printers', 'write:printers'], expiresInDays: 7 }, carol);
    const ok = await call<PushResponse>(env.url, '/api/sync/printers/push', {
      body: { rows: [row(printerDoc(orgA))] },
      token: t.token,
    });
    expect(ok.body.rejections).toEqual([]);
    await setMembership(env.db, orgA, carol.id, 'viewer');
    const denied = await call<PushResponse>(env.url, '/api/sync/printers/push', {
      body: { rows: [row(printerDoc(orgA))] },
      token: t.token,
    });
    expect(denied.body.rejections[0]?.code).toBe('ORG_FORBIDDEN');
  });

  it("a revoked token's open live stream is closed within a second", async () => {
    const t = await newToken({ name: 'streamer', scopes: ['read:printers'], expiresInDays: 7 });
    const ctrl = new AbortController();
    const res = await fetch(`${env.url}/api/sync/stream`, {
      headers: { authorization: `Bearer ${t.token}`, 'x-fleetsync-protocol': '1' },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    let text = '';
    let ended = false;
    const reading = (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      ended = true;
    })();
    await eventually(() => text.includes('"hello"'), 3000);
    await call(env.url, `/api/tokens/${t.id}`, { method: 'DELETE', token: alice.token });
    await eventually(() => ended, 1000, 'stream closed within one second');
    expect(text).toContain('"type":"closed"');
    ctrl.abort();
    await reading;
  });
});
