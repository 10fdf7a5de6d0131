/**
 * The change-password form's checks: the shared password policy (the same rule the server
 * applies, shared/src/passwordPolicy.ts) plus "the repeated password differs".
 */
import { ApiError } from '../../api/apiError.js';
import { checkPassword, PASSWORD_PROBLEM_TEXT, type PasswordProblem } from '@fleetsync/shared';

export const MISMATCH = 'mismatch';
export const MISMATCH_TEXT = 'The repeated password is not the same as the new password.';

/** Problem codes of the shared policy ('too_short', 'no_upper', …) plus 'mismatch'; empty when fine. */
export function passwordFormProblems(newPassword: string, repeat: string, email?: string): string[] {
  const problems: string[] = [...checkPassword(newPassword, email ? { email } : {}).problems];
  if (repeat !== newPassword) problems.push(MISMATCH);
  return problems;
}

const isPolicyProblem = (code: string): code is PasswordProblem => Object.hasOwn(PASSWORD_PROBLEM_TEXT, code);

/** The sentence shown for a problem code. */
export function passwordProblemText(code: string): string {
  if (code === MISMATCH) return MISMATCH_TEXT;
  return isPolicyProblem(code) ? PASSWORD_PROBLEM_TEXT[code] : code;
}

/** The problem codes of a server refusal `PASSWORD_POLICY` (details.problems), else null. */
export function serverPasswordProblems(err: unknown): string[] | null {
  if (!(err instanceof ApiError) || err.code !== 'PASSWORD_POLICY') return null;
  const details = err.details as { problems?: unknown } | undefined;
  const problems = Array.isArray(details?.problems) ? details.problems.filter((p): p is string => typeof p === 'string') : [];
  return problems.length > 0 ? problems : null;
}
