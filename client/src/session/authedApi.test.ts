import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/apiError.js';
import { createAuthedApi } from './authedApi.js';

const answer = (status: number, body: unknown) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refusal = (status: number, code: string) => answer(status, { error: { code, message: code.toLowerCase() } });

afterEach(() => vi.unstubAllGlobals());

function setup(responses: Response[]) {
  const fetchMock = vi.fn(async () => responses.shift()!);
  vi.stubGlobal('fetch', fetchMock);
  let token = 'old';
  const recover = vi.fn(async () => {
    token = 'new';
  });
  const onMfaSetupRequired = vi.fn();
  const api = createAuthedApi({ token: () => token, recover, onMfaSetupRequired });
  const sentTokens = () =>
    fetchMock.mock.calls.map((c) => ((c as unknown as [string, RequestInit])[1].headers as Record<string, string>).authorization);
  return { api, recover, onMfaSetupRequired, sentTokens };
}

describe('authed API calls', () => {
  it('refreshes a refused session once and retries with the new token', async () => {
    const t = setup([refusal(401, 'TOKEN_EXPIRED'), answer(200, { ok: 1 })]);
    await expect(t.api.json('/api/tokens')).resolves.toEqual({ ok: 1 });
    expect(t.recover).toHaveBeenCalledTimes(1);
    expect(t.sentTokens()).toEqual(['Bearer old', 'Bearer new']);
  });

  it('does not treat a wrong code or password (also 401) as an ended session', async () => {
    const t = setup([refusal(401, 'MFA_INVALID')]);
    const err = await t.api.json('/api/auth/mfa', { method: 'DELETE', body: { code: '1' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('MFA_INVALID');
    expect(t.recover).not.toHaveBeenCalled();
  });

  it('keeps the error details (PASSWORD_POLICY problems) and reports MFA_SETUP_REQUIRED', async () => {
    const t = setup([
      answer(400, { error: { code: 'PASSWORD_POLICY', message: 'weak', details: { problems: ['too_short'] } } }),
      refusal(403, 'MFA_SETUP_REQUIRED'),
    ]);
    const policy = (await t.api.json('/api/auth/password').catch((e: unknown) => e)) as ApiError;
    expect(policy.details).toEqual({ problems: ['too_short'] });
    await t.api.json('/api/tokens').catch(() => undefined);
    expect(t.onMfaSetupRequired).toHaveBeenCalledTimes(1);
  });

  it('answers undefined for 204', async () => {
    const t = setup([answer(204, null)]);
    await expect(t.api.json('/api/tokens/x', { method: 'DELETE' })).resolves.toBeUndefined();
  });
});
