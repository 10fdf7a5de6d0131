import { z } from 'zod';
import { baseFields, defineCollection, reject } from './define.js';
import { ErrorCode } from '../errors.js';

export const FILAMENT_MATERIALS = ['PLA', 'PETG', 'ABS', 'ASA', 'TPU', 'PA', 'PC', 'PVA', 'HIPS', 'OTHER'] as const;

/** The most drying sessions a spool keeps. */
export const DRYING_LOG_MAX = 50;

export const spoolSchema = z
  .object({
    ...baseFields,
    material: z.enum(FILAMENT_MATERIALS),
    colour: z.string().min(1).max(40),
    colourHex: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .optional(),
    brand: z.string().max(80).optional(),
    totalGrams: z.number().min(0).max(100_000),
    remainingGrams: z.number().min(0).max(100_000),
    costPerKg: z.number().min(0).max(100_000),
    printerId: z.string().max(64).optional(),
    amsSlot: z.number().int().min(0).max(15).optional(),
    notes: z.string().max(2000).optional(),
    /** Drying sessions, newest last (bounded: drop the oldest to add more). */
    dryingLog: z
      .array(
        z
          .object({ at: z.string().min(1).max(40), hours: z.number().min(0).max(240), tempC: z.number().min(0).max(150) })
          .strict(),
      )
      .max(DRYING_LOG_MAX)
      .optional(),
  })
  .strict();
export type Spool = z.infer<typeof spoolSchema>;

export const spools = defineCollection({
  name: 'spools',
  schemaVersion: 0,
  zod: spoolSchema,
  rule: ({ next }) =>
    next.remainingGrams > next.totalGrams
      ? reject(ErrorCode.DOCUMENT_INVALID, 'remaining grams cannot exceed the spool total')
      : { ok: true },
});
