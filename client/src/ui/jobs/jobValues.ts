/** Job form fields <-> job document fields. */
import { canTransition, JOB_STATUSES, type Job, type JobStatus } from '@fleetsync/shared';
import { numberText, toNumber, toText, type Changes } from '../form/docData.js';
import type { Option } from '../form/fields.js';
import type { FormValues } from '../form/useDocForm.js';

/** A new job always starts queued (the server refuses anything else). */
export const JOB_DEFAULTS: Changes = { status: 'queued' };

export const STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  scheduled: 'Scheduled',
  printing: 'Printing',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The statuses a job may move to from its stored status (itself included). */
export function statusOptions(current: JobStatus | undefined): Option[] {
  const allowed = current ? JOB_STATUSES.filter((s) => canTransition(current, s)) : (['queued'] as const);
  return allowed.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
}

export function jobValues(j: Job | undefined): FormValues {
  return {
    name: j?.name ?? '',
    priority: j ? numberText(j.priority) : '50',
    copies: j ? numberText(j.copies) : '1',
    material: j?.material ?? '',
    printerId: j?.printerId ?? '',
    status: j?.status ?? 'queued',
  };
}

export function jobChanges(v: FormValues): Changes {
  return {
    name: (v.name ?? '').trim(),
    priority: toNumber(v.priority ?? ''),
    copies: toNumber(v.copies ?? ''),
    material: toText(v.material ?? ''),
    printerId: toText(v.printerId ?? ''),
    status: v.status,
  };
}
