/**
 * Client-side check of a document before it is written, with the same zod schema and
 * collection rule the server applies (the server still decides).
 */
import { COLLECTIONS, type CollectionName, type Principal, type WriteContext, type WriteOutcome } from '@fleetsync/shared';
import { fieldErrors, type FieldErrors, type SchemaIssue } from './fieldErrors.js';

export type Validation = { ok: true } | { ok: false; fields: FieldErrors; form: string | null };

export function validateDoc(
  name: CollectionName,
  candidate: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  principal: Principal,
): Validation {
  const def = COLLECTIONS[name];
  const parsed = def.zod.safeParse(candidate);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error.issues as readonly SchemaIssue[]);
    return { ok: false, fields, form: 'Some fields need attention.' };
  }
  // Each definition's rule takes its own document type; the candidate just passed its schema.
  const rule = def.rule as ((ctx: WriteContext<Record<string, unknown>>) => WriteOutcome) | undefined;
  const outcome = rule?.({ principal, previous, next: candidate });
  if (outcome && !outcome.ok) return { ok: false, fields: {}, form: outcome.message };
  return { ok: true };
}
