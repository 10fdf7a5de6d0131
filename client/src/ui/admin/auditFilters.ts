/** The audit filter form's values, turned into the API's filters. */
import type { AuditFilters } from '../../api/adminApi.js';

export interface AuditFormValues {
  actor: string;
  action: string;
  /** `datetime-local` values (local time, no zone). */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FORM: AuditFormValues = { actor: '', action: '', from: '', to: '' };

/** A `datetime-local` value as an ISO instant; undefined when empty, null when not a date. */
export function localToIso(value: string): string | undefined | null {
  if (!value.trim()) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function toAuditFilters(v: AuditFormValues, orgId: string | null): AuditFilters | { error: string } {
  const from = localToIso(v.from);
  const to = localToIso(v.to);
  if (from === null || to === null) return { error: 'Enter the dates as date and time.' };
  if (from && to && from >= to) return { error: '“From” must be before “To”.' };
  return {
    actor: v.actor.trim() || undefined,
    action: v.action.trim() || undefined,
    from,
    to,
    orgId,
  };
}
