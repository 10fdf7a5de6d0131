import { z } from 'zod';
import { baseFields, defineCollection, reject } from './define.js';
import { ErrorCode } from '../errors.js';
import { FILAMENT_MATERIALS } from './spools.js';

export const JOB_STATUSES = ['queued', 'scheduled', 'printing', 'paused', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Allowed job state transitions; anything else is refused with INVALID_TRANSITION. */
export const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['scheduled', 'printing', 'cancelled'],
  scheduled: ['queued', 'printing', 'cancelled'],
  printing: ['paused', 'done', 'failed', 'cancelled'],
  paused: ['printing', 'failed', 'cancelled'],
  done: [],
  failed: ['queued'],
  cancelled: ['queued'],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return from === to || JOB_TRANSITIONS[from].includes(to);
}

export const jobSchema = z
  .object({
    ...baseFields,
    name: z.string().min(1).max(200),
    status: z.enum(JOB_STATUSES),
    priority: z.number().int().min(0).max(100),
    printerId: z.string().max(64).optional(),
    fileName: z.string().max(255).optional(),
    material: z.enum(FILAMENT_MATERIALS).optional(),
    copies: z.number().int().min(1).max(1000),
    estimatedSeconds: z.number().int().min(0).max(10_000_000).optional(),
    actualSeconds: z.number().int().min(0).max(10_000_000).optional(),
    filamentGrams: z.number().min(0).max(100_000).optional(),
    failureReason: z.string().max(500).optional(),
    notes: z.string().max(2000).optional(),
    /** Computed by the server (chargebacks); never accepted from clients. */
    costCents: z.number().int().min(0).optional(),
  })
  .strict();
export type Job = z.infer<typeof jobSchema>;

export const jobs = defineCollection({
  name: 'jobs',
  schemaVersion: 0,
  zod: jobSchema,
  extraServerOwned: ['costCents'],
  rule: ({ previous, next }) => {
    if (previous && !canTransition(previous.status, next.status)) {
      return reject(ErrorCode.INVALID_TRANSITION, `a job cannot go from ${previous.status} to ${next.status}`);
    }
    if (!previous && next.status !== 'queued') {
      return reject(ErrorCode.INVALID_TRANSITION, 'a new job must start queued');
    }
    return { ok: true };
  },
});
