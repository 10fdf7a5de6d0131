import { z } from 'zod';
import { baseFields, defineCollection } from './define.js';

export const PRINTER_PROTOCOLS = ['bambu', 'moonraker', 'prusalink', 'octoprint'] as const;
export const PRINTER_STATUSES = ['offline', 'idle', 'heating', 'printing', 'paused', 'finished', 'error'] as const;

export const printerSchema = z
  .object({
    ...baseFields,
    name: z.string().min(1).max(120),
    model: z.string().max(80),
    protocol: z.enum(PRINTER_PROTOCOLS),
    host: z.string().max(255).optional(),
    serial: z.string().max(64).optional(),
    location: z.string().max(120).optional(),
    status: z.enum(PRINTER_STATUSES),
    progress: z.number().min(0).max(100),
    nozzleTemp: z.number().min(-50).max(600).optional(),
    bedTemp: z.number().min(-50).max(200).optional(),
    nozzleDiameter: z.number().min(0.1).max(2),
    bedWidthMm: z.number().min(1).max(2000),
    bedDepthMm: z.number().min(1).max(2000),
    bedHeightMm: z.number().min(1).max(2000).optional(),
    loadedMaterial: z.string().max(40).optional(),
    /** The spool on the printer now: its material routes jobs, finished jobs are deducted from it. */
    loadedSpoolId: z.string().max(64).optional(),
    tags: z.array(z.string().min(1).max(40)).max(20),
    autoQueue: z.boolean(),
    currentJobId: z.string().max(64).optional(),
    lastError: z.string().max(500).optional(),
    /** Other orgs that may see this printer and submit jobs to it ('*' = every org). Never edit. */
    sharedWithOrgs: z.array(z.string().min(1).max(64)).max(100).optional(),
    /** The device bridge that talks to this printer (assigned by an org admin). */
    bridgeId: z.string().max(64).optional(),
    layer: z.number().int().min(0).max(100_000).optional(),
    totalLayers: z.number().int().min(0).max(100_000).optional(),
    remainingSeconds: z.number().int().min(0).max(10_000_000).optional(),
    /** Active device errors, e.g. Bambu HMS codes or Klipper shutdown reasons. */
    errors: z
      .array(z.object({ code: z.string().max(40), message: z.string().max(300) }).strict())
      .max(20)
      .optional(),
    /** Last time the bridge heard from the device (ISO). */
    lastSeenAt: z.string().max(40).optional(),
  })
  .strict();
export type Printer = z.infer<typeof printerSchema>;

export const printers = defineCollection({ name: 'printers', schemaVersion: 0, zod: printerSchema });
