/**
 * The one password policy, used by the server on every password it accepts and by every
 * client form, so the two can never disagree (issue: account security).
 */
import { COMMON_PASSWORDS } from './commonPasswords.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'no_upper' | 'no_lower' | 'no_digit' | 'too_common' | 'contains_email';

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  no_upper: 'Add an upper-case letter.',
  no_lower: 'Add a lower-case letter.',
  no_digit: 'Add a digit.',
  too_common: 'This password is too common; choose another.',
  contains_email: 'Do not use your email name in the password.',
};

export interface PasswordCheck {
  ok: boolean;
  problems: PasswordProblem[];
}

/** Strips the decorations people add to a common word ("Password1!" -> "password"). */
function commonCore(pw: string): string {
  return pw
    .toLowerCase()
    .replace(/[^a-z0-9]+$/, '')
    .replace(/\d+$/, '')
    .replace(/[@4]/g, 'a')
    .replace(/0/g, 'o')
    .replace(/[1!]/g, 'i')
    .replace(/3/g, 'e')
    .replace(/\$/g, 's');
}

export function checkPassword(password: string, context: { email?: string } = {}): PasswordCheck {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (password.length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (!/\p{Lu}/u.test(password)) problems.push('no_upper');
  if (!/\p{Ll}/u.test(password)) problems.push('no_lower');
  if (!/\d/.test(password)) problems.push('no_digit');
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(commonCore(password))) problems.push('too_common');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) problems.push('contains_email');
  return { ok: problems.length === 0, problems };
}
