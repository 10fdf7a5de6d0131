import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../src/http/errors.js';
import { startTestEnv, type TestEnv } from '../support/testServer.js';
import { call } from '../support/http.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(async () => {
  await env.stop();
});

describe('HTTP hardening', () => {
  it('sends a CSP that allows the app and nothing more, plus the usual protective headers', async () => {
    const r = await fetch(`${env.url}/healthz`);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('errors never leak stack traces or internals', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('relation "secret_table" does not exist at /srv/app/db.ts:42');
    });
    app.use(errorMiddleware(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as { port: number }).port;
      const res = await fetch(`http://127.0.0.1:${port}/boom`);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
      expect(text).not.toMatch(/secret_table|db\.ts|at /);
    } finally {
      server.close();
    }
  });

  it('rate-limits token creation with Retry-After', async () => {
    const org = await env.org('Hardening');
    const u = await env.user('limits@hard.test', { [org]: 'manager' });
    let last = 0;
    let retry: string | null = null;
    for (let i = 0; i < 21; i++) {
      const r = await call(env.url, '/api/tokens', {
        body: { name: `t${i}`, scopes: ['read:jobs'], expiresInDays: 1 },
        token: u.token,
      });
      last = r.status;
      retry = r.headers.get('retry-after');
    }
    expect(last).toBe(429);
    expect(Number(retry)).toBeGreaterThan(0);
  });
});
