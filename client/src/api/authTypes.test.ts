import { describe, expect, it } from 'vitest';
import { parseMe, parseSignInStep } from './authTypes.js';

describe('auth answers', () => {
  it('reads a session or a second-factor step from a sign-in answer', () => {
    const user = { id: 'u1', email: 'a@b.c', displayName: 'A' };
    expect(parseSignInStep({ accessToken: 't', accessExpiresAt: '2030-01-01T00:00:00Z', user })).toEqual({
      kind: 'session',
      result: { token: 't', sessionId: '', expiresAt: '2030-01-01T00:00:00Z', user, mfaSetupRequired: false },
    });
    expect(parseSignInStep({ mfaRequired: true, mfaToken: 'm' })).toEqual({ kind: 'mfa', mfaToken: 'm' });
    expect(() => parseSignInStep({ user })).toThrow();
    const forced = parseSignInStep({ accessToken: 't', user, mfaSetupRequired: true });
    expect(forced.kind === 'session' && forced.result.mfaSetupRequired).toBe(true);
  });

  it('keeps only orgs with a known role', () => {
    const me = parseMe({
      user: { id: 'u1' },
      platformRole: 'nobody',
      orgs: [
        { id: 'o1', name: 'One', slug: 'one', suspended: false, role: 'operator' },
        { id: 'o2', name: 'Two', role: 'superhero' },
      ],
    });
    expect(me.platformRole).toBeNull();
    expect(me.mfaEnabled).toBe(false);
    expect(me.mfaSetupRequired).toBe(false);
    expect(me.orgs).toEqual([{ id: 'o1', name: 'One', slug: 'one', suspended: false, role: 'operator' }]);
  });
});
