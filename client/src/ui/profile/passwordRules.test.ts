import { describe, expect, it } from 'vitest';
import { PASSWORD_PROBLEM_TEXT } from '@fleetsync/shared';
import { ApiError } from '../../api/apiError.js';
import { MISMATCH_TEXT, passwordFormProblems, passwordProblemText, serverPasswordProblems } from './passwordRules.js';

describe('passwordFormProblems', () => {
  it('accepts a password the shared policy accepts, repeated exactly', () => {
    expect(passwordFormProblems('Correct-Horse-42', 'Correct-Horse-42')).toEqual([]);
  });

  it('reports the shared policy problems', () => {
    expect(passwordFormProblems('abc', 'abc')).toEqual(['too_short', 'no_upper', 'no_digit']);
    expect(passwordFormProblems('ALLUPPER123', 'ALLUPPER123')).toEqual(['no_lower']);
    expect(passwordFormProblems('Password1', 'Password1')).toContain('too_common');
  });

  it('adds mismatch when the repeat differs, together with policy problems', () => {
    expect(passwordFormProblems('Correct-Horse-42', 'Correct-Horse-43')).toEqual(['mismatch']);
    expect(passwordFormProblems('short', '')).toEqual(['too_short', 'no_upper', 'no_digit', 'mismatch']);
  });

  it('refuses the email name inside the password only when an email is given', () => {
    expect(passwordFormProblems('Margaret-2024x', 'Margaret-2024x', 'margaret@lab.test')).toEqual(['contains_email']);
    expect(passwordFormProblems('Margaret-2024x', 'Margaret-2024x')).toEqual([]);
  });
});

describe('password problem texts', () => {
  it('uses the shared texts and one for mismatch', () => {
    expect(passwordProblemText('no_digit')).toBe(PASSWORD_PROBLEM_TEXT.no_digit);
    expect(passwordProblemText('mismatch')).toBe(MISMATCH_TEXT);
    expect(passwordProblemText('something_new')).toBe('something_new');
  });

  it('reads the problems of a PASSWORD_POLICY refusal', () => {
    const err = new ApiError(400, 'PASSWORD_POLICY', 'the new password does not meet the password policy', {
      problems: ['too_common'],
    });
    expect(serverPasswordProblems(err)).toEqual(['too_common']);
    expect(serverPasswordProblems(new ApiError(401, 'INVALID_CREDENTIALS', 'wrong'))).toBeNull();
    expect(serverPasswordProblems(new Error('x'))).toBeNull();
  });
});
