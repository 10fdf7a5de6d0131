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

/** The parts of a finished job's cost (amounts in cents of `currency`). */
export const jobCostDetailSchema = z
  .object({
    grams: z.number().min(0),
    hours: z.number().min(0),
    costPerKg: z.number().min(0),
    filamentCents: z.number().int().min(0),
    machineCents: z.number().int().min(0),
    overheadCents: z.number().int().min(0),
    currency: z.string().max(3),
    spoolId: z.string().max(64).optional(),
  })
  .strict();

/** Fields only the server writes on a job. */
export const JOB_SERVER_OWNED = [
  'costCents',
  'costDetail',
  'chargedToUserId',
  'chargedToOrgId',
  'reservedGrams',
  'reservedSeconds',
  'completedAt',
] as const;

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
    /**
     * Why the device bridge's auto-queue holds this job back from a printer (a compatibility
     * guardrail refused it, or the printer would not start it). Written by the bridge, removed
     * when the job is dispatched.
     */
    holdReason: z.string().max(300).optional(),
    notes: z.string().max(2000).optional(),
    /** The model and the exact revision (file) to print; the server checks both exist in the job's org. */
    modelId: z.string().max(64).optional(),
    modelRevision: z.number().int().min(1).max(1_000_000).optional(),
    /** Print profile (preset) used to slice it, if known; checked like the model. */
    profileId: z.string().max(64).optional(),
    /** The spool to charge and deduct; else the spool loaded in the job's printer. */
    spoolId: z.string().max(64).optional(),
    /** Filament actually used (set when the job ends); else `filamentGrams` counts. */
    filamentUsedGrams: z.number().min(0).max(100_000).optional(),
    // Server-owned (never accepted from clients):
    /** Cost of a finished job in the org's currency (chargebacks). */
    costCents: z.number().int().min(0).optional(),
    /** How costCents was made up. */
    costDetail: jobCostDetailSchema.optional(),
    /** The submitter and their org at creation: who is charged. */
    chargedToUserId: z.string().max(64).optional(),
    chargedToOrgId: z.string().max(64).optional(),
    /** What the job reserved against quotas at creation (its estimates, else its revision's metadata). */
    reservedGrams: z.number().min(0).max(10_000_000).optional(),
    reservedSeconds: z.number().int().min(0).max(1_000_000_000).optional(),
    /** When the job reached `done` (ISO). */
    completedAt: z.string().max(40).optional(),
  })
  .strict();
export type Job = z.infer<typeof jobSchema>;

export const jobs = defineCollection({
  name: 'jobs',
  schemaVersion: 0,
  zod: jobSchema,
  extraServerOwned: JOB_SERVER_OWNED,
  rule: ({ previous, next }) => {
    if ((next.modelId === undefined) !== (next.modelRevision === undefined)) {
      return reject(ErrorCode.DOCUMENT_INVALID, 'a job names both a model and its revision, or neither');
    }
    if (previous && !canTransition(previous.status, next.status)) {
      return reject(ErrorCode.INVALID_TRANSITION, `a job cannot go from ${previous.status} to ${next.status}`);
    }
    if (!previous && next.status !== 'queued') {
      return reject(ErrorCode.INVALID_TRANSITION, 'a new job must start queued');
    }
    return { ok: true };
  },
});
