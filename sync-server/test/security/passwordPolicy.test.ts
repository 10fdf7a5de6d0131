/**
 * One table of passwords, run against the shared policy, the server's change-password
 * endpoint and the client form's rule: the three can never disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword } from '@fleetsync/shared';
import { passwordFormProblems } from '../../../client/src/ui/profile/passwordRules.js';
import { startTestEnv, TEST_PASSWORD, type TestEnv, type TestUser } from '../support/testServer.js';
import { call } from '../support/http.js';

const EMAIL = 'policy.tester@pw.test';
const TABLE: { password: string; problems: string[] }[] = [
  { password: 'Short1a', problems: ['too_short'] },
  { password: 'alllowercase1', problems: ['no_upper'] },
  { password: 'ALLUPPERCASE1', problems: ['no_lower'] },
  { password: 'NoDigitsHere', problems: ['no_digit'] },
  { password: 'Password1', problems: ['too_common'] },
  { password: 'Welcome2024!', problems: ['too_common'] },
  { password: 'P@ssw0rd', problems: ['too_common'] },
  { password: 'Policy.Tester7', problems: ['contains_email'] },
  { password: 'abc', problems: ['too_short', 'no_upper', 'no_digit'] },
  { password: `Aa1${'x'.repeat(130)}`, problems: ['too_long'] },
  { password: 'Correct-Horse-42', problems: [] },
  { password: 'Spool-Tower-7x', problems: [] },
  { password: 'Ünïcode-Straße-9', problems: [] },
];

let env: TestEnv;
let user: TestUser;
let current = TEST_PASSWORD;

beforeAll(async () => {
  env = await startTestEnv();
  const org = await env.org('Policy');
  user = await env.user(EMAIL, { [org]: 'viewer' });
});
afterAll(async () => {
  await env.stop();
});

describe('password policy table: shared module, server endpoint, client form', () => {
  for (const { password, problems } of TABLE) {
    it(`${password.length > 20 ? `${password.slice(0, 12)}…` : password} -> ${problems.join(', ') || 'accepted'}`, async () => {
      expect(checkPassword(password, { email: EMAIL }).problems.sort()).toEqual([...problems].sort());
      expect(passwordFormProblems(password, password, EMAIL).sort()).toEqual([...problems].sort());

      // Throttling of this endpoint is tested elsewhere; here every row must reach the policy.
      await env.db.query("DELETE FROM rate_limits WHERE key LIKE 'password:%'");
      const r = await call<{ error?: { code: string; details?: { problems: string[] } } }>(env.url, '/api/auth/password', {
        body: { currentPassword: current, newPassword: password },
        token: user.token,
      });
      if (problems.length === 0) {
        expect(r.status).toBe(200);
        current = password;
      } else {
        expect(r.status).toBe(400);
        expect(r.body.error?.code).toBe('PASSWORD_POLICY');
        expect(r.body.error?.details?.problems.sort()).toEqual([...problems].sort());
      }
    });
  }

  it('the form also refuses a repeat that differs', () => {
    expect(passwordFormProblems('Correct-Horse-42', 'Correct-Horse-43')).toEqual(['mismatch']);
  });
});
