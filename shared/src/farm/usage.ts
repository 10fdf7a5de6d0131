/**
 * What a job uses, for quotas, costs and spool consumption: one definition for the server,
 * the bridge and the UI.
 *
 * A job's `filamentGrams` and `estimatedSeconds` are totals for the whole job (all copies).
 * When a job leaves them out, the server reserves from its pinned model revision's metadata
 * (per plate) times `copies`, and stamps that reservation on the job (`reservedGrams`,
 * `reservedSeconds`).
 */
import type { PrintFileMetadata } from '../metadata/types.js';

export interface JobUsageFields {
  status: string;
  copies?: number;
  filamentGrams?: number;
  filamentUsedGrams?: number;
  estimatedSeconds?: number;
  actualSeconds?: number;
  reservedGrams?: number;
  reservedSeconds?: number;
}

export interface Usage {
  grams: number;
  hours: number;
  jobs: number;
}

export const NO_USAGE: Usage = { grams: 0, hours: 0, jobs: 0 };

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** What a new job reserves: its own estimates, else the revision's metadata times copies. */
export function reservationFor(
  job: Pick<JobUsageFields, 'copies' | 'filamentGrams' | 'estimatedSeconds'>,
  metadata?: PrintFileMetadata,
): { grams: number; seconds: number } {
  const copies = job.copies ?? 1;
  const metaGrams = metadata?.totalFilamentGrams;
  const metaSeconds = metadata?.estimatedSeconds;
  return {
    grams: round2(job.filamentGrams ?? (metaGrams !== undefined ? metaGrams * copies : 0)),
    seconds: Math.round(job.estimatedSeconds ?? (metaSeconds !== undefined ? metaSeconds * copies : 0)),
  };
}

/** Filament the job used (finished) or will use (not yet): actual, else estimate, else reservation. */
export function consumedGrams(job: JobUsageFields): number {
  return round2(job.filamentUsedGrams ?? job.filamentGrams ?? job.reservedGrams ?? 0);
}

/** Machine time: actual, else estimate, else reservation. */
export function machineSeconds(job: JobUsageFields): number {
  return Math.round(job.actualSeconds ?? job.estimatedSeconds ?? job.reservedSeconds ?? 0);
}

/**
 * A job's weight against quotas. A cancelled job gives back everything it reserved (it never
 * used the farm); every other job counts once, with its actual figures once it has them.
 */
export function quotaUsageOf(job: JobUsageFields): Usage {
  if (job.status === 'cancelled') return NO_USAGE;
  return { grams: consumedGrams(job), hours: machineSeconds(job) / 3600, jobs: 1 };
}

export function addUsage(a: Usage, b: Usage): Usage {
  return { grams: round2(a.grams + b.grams), hours: a.hours + b.hours, jobs: a.jobs + b.jobs };
}
