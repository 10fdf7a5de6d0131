import { describe, expect, it } from 'vitest';
import { isAuthFailure } from './authFailure.js';

describe('isAuthFailure', () => {
  it('recognises refused credentials, directly or wrapped by RxDB', () => {
    expect(isAuthFailure({ code: 'TOKEN_EXPIRED', reason: 'x' })).toBe(true);
    expect(isAuthFailure({ status: 401 })).toBe(true);
    expect(isAuthFailure({ code: 'RC_PULL', parameters: { errors: [{ name: 'SyncHttpError', code: 'SESSION_REVOKED' }] } })).toBe(
      true,
    );
  });

  it('ignores other failures', () => {
    expect(isAuthFailure(new TypeError('fetch failed'))).toBe(false);
    expect(isAuthFailure({ code: 'RC_PUSH', parameters: { errors: [{ code: 'INTERNAL' }] } })).toBe(false);
    expect(isAuthFailure(null)).toBe(false);
  });
});
