/** Turns zod issues into one readable message per form field. */

/** The parts of a zod issue this form needs (zod itself is the shared package's dependency). */
export interface SchemaIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
}

export type FieldErrors = Partial<Record<string, string>>;

function readable(issue: SchemaIssue): string {
  const { code, origin, minimum, maximum, expected } = issue;
  if (code === 'invalid_type') {
    if (expected === 'int') return 'Enter a whole number';
    if (expected === 'number') return 'Enter a number';
    return 'Required';
  }
  if (code === 'too_small') {
    if (origin === 'string' && minimum === 1) return 'Required';
    if (origin === 'number') return `Must be at least ${String(minimum)}`;
    if (origin === 'string') return `Must have at least ${String(minimum)} characters`;
  }
  if (code === 'too_big') {
    if (origin === 'number') return `Must be at most ${String(maximum)}`;
    if (origin === 'string') return `Must have at most ${String(maximum)} characters`;
    if (origin === 'array') return `At most ${String(maximum)} items`;
  }
  if (code === 'invalid_value') return 'Choose one of the options';
  if (code === 'invalid_format') return 'Not in the expected format';
  return issue.message;
}

export function fieldErrors(issues: readonly SchemaIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    out[field] ??= readable(issue);
  }
  return out;
}
