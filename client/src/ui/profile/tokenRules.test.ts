import { describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '@fleetsync/shared';
import { offeredScopes, tokenFormProblems, type TokenFormValues } from './tokenRules.js';

const ok: TokenFormValues = { name: 'CI', scopes: ['read:jobs'], days: '30', orgId: '', bridgeId: '' };

describe('API token form rules', () => {
  it('offers bridge and admin scopes to org admins only', () => {
    expect(offeredScopes(true)).toEqual([...TOKEN_SCOPES]);
    expect(offeredScopes(false)).not.toContain('bridge');
    expect(offeredScopes(false)).not.toContain('admin');
  });

  it('accepts a named token with a scope and 1..365 days', () => {
    expect(tokenFormProblems(ok, [])).toEqual({});
    expect(tokenFormProblems({ ...ok, days: '365' }, [])).toEqual({});
  });

  it('reports each wrong field', () => {
    const e = tokenFormProblems({ ...ok, name: ' ', scopes: [], days: '366' }, []);
    expect(Object.keys(e).sort()).toEqual(['days', 'name', 'scopes']);
    expect(tokenFormProblems({ ...ok, days: '0' }, []).days).toBeDefined();
    expect(tokenFormProblems({ ...ok, days: '1.5' }, []).days).toBeDefined();
  });

  it('binds bridge and admin tokens to an org the user administers', () => {
    expect(tokenFormProblems({ ...ok, scopes: ['admin'] }, ['o1']).orgId).toBeDefined();
    expect(tokenFormProblems({ ...ok, scopes: ['admin'], orgId: 'o2' }, ['o1']).orgId).toBeDefined();
    expect(tokenFormProblems({ ...ok, scopes: ['admin'], orgId: 'o1' }, ['o1'])).toEqual({});
    expect(tokenFormProblems({ ...ok, scopes: ['bridge'], orgId: 'o1' }, ['o1']).bridgeId).toBeDefined();
    expect(tokenFormProblems({ ...ok, scopes: ['bridge'], orgId: 'o1', bridgeId: 'site-1' }, ['o1'])).toEqual({});
  });
});
