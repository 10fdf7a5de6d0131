/**
 * Package deployments: required (install and keep installed), available (offered; installed on
 * request) or uninstall; for devices and groups; rolled out in waves (an optional pilot group,
 * then cumulative percentages) with automatic pause when a wave fails too often
 * (shared/src/fleet/rollout.ts). Pause, resume and rollback go through the fleet API; the
 * rollout state is the server's.
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { scriptSchema } from '../fleet/agentProtocol.js';
import { ROLLOUT_STATUSES } from '../fleet/rollout.js';
import { stableStringify } from '../sync/merge.js';
import { BASE_SERVER_OWNED, baseFields, defineCollection, reject } from './define.js';

export const DEPLOYMENT_INTENTS = ['required', 'available', 'uninstall'] as const;
export type DeploymentIntent = (typeof DEPLOYMENT_INTENTS)[number];

const id = z.string().min(1).max(64);
const count = z.number().int().min(0);

export const waveStatusSchema = z
  .object({
    index: z.number().int().min(0),
    total: count,
    queued: count,
    leased: count,
    running: count,
    succeeded: count,
    failed: count,
    timed_out: count,
    cancelled: count,
    startedAt: z.string().max(40).optional(),
  })
  .strict();
export type WaveStatus = z.infer<typeof waveStatusSchema>;

export const deploymentSchema = z
  .object({
    ...baseFields,
    name: z.string().min(1).max(200),
    notes: z.string().max(2000).optional(),
    packageId: id,
    packageVersion: z.string().min(1).max(120),
    intent: z.enum(DEPLOYMENT_INTENTS),
    targetDeviceIds: z.array(id).max(5000),
    targetGroupIds: z.array(id).max(100),
    /** The pilot wave: the members of this group among the targets, before any percentage wave. */
    pilotGroupId: id.optional(),
    /** Cumulative percentages of the remaining targets, ascending, ending at 100. */
    wavePercents: z.array(z.number().int().min(1).max(100)).min(1).max(10),
    failureThreshold: z.number().gt(0).max(1),
    minSample: z.number().int().min(1).max(10_000),
    successThreshold: z.number().gt(0).max(1),
    maxAttempts: z.number().int().min(1).max(10),
    retryBackoffSeconds: z.number().int().min(0).max(3600),
    timeoutSeconds: z.number().int().min(1).max(86_400),
    preScript: scriptSchema.optional(),
    postScript: scriptSchema.optional(),
    /** What a rollback installs instead (the previous version); absent: rollback uninstalls. */
    rollbackVersion: z.string().max(120).optional(),
    // --- server-owned ---
    state: z.enum(ROLLOUT_STATUSES).optional(),
    currentWave: z.number().int().min(0).optional(),
    waveCount: z.number().int().min(0).optional(),
    pausedReason: z.enum(['failure_threshold', 'manual']).optional(),
    acknowledgedWave: z.number().int().min(0).optional(),
    statusMessage: z.string().max(500).optional(),
    startedAt: z.string().max(40).optional(),
    completedAt: z.string().max(40).optional(),
    rollbackOf: id.optional(),
    rollbackDeploymentId: id.optional(),
    waves: z.array(waveStatusSchema).max(11).optional(),
  })
  .strict();
export type Deployment = z.infer<typeof deploymentSchema>;

export const DEPLOYMENT_SERVER_OWNED = [
  'state',
  'currentWave',
  'waveCount',
  'pausedReason',
  'acknowledgedWave',
  'statusMessage',
  'startedAt',
  'completedAt',
  'rollbackOf',
  'rollbackDeploymentId',
  'waves',
] as const;
const EDITABLE = new Set(['id', 'orgId', 'name', 'notes', 'clock', '_deleted', ...BASE_SERVER_OWNED, ...DEPLOYMENT_SERVER_OWNED]);

export const deployments = defineCollection({
  name: 'deployments',
  schemaVersion: 0,
  zod: deploymentSchema,
  extraServerOwned: DEPLOYMENT_SERVER_OWNED,
  rule: ({ previous, next }) => {
    if (previous) {
      if (next._deleted) return { ok: true };
      for (const key of new Set([...Object.keys(previous), ...Object.keys(next)])) {
        if (EDITABLE.has(key)) continue;
        const k = key as keyof typeof next;
        if (stableStringify(previous[k]) !== stableStringify(next[k])) {
          return reject(
            ErrorCode.WRITE_FORBIDDEN,
            `a deployment's ${key} cannot change; pause, resume or roll it back, or create a new one`,
          );
        }
      }
      return { ok: true };
    }
    if (next.targetDeviceIds.length === 0 && next.targetGroupIds.length === 0) {
      return reject(ErrorCode.DOCUMENT_INVALID, 'a deployment needs at least one target device or group');
    }
    const p = next.wavePercents;
    if (p.some((x, i) => i > 0 && x <= p[i - 1]!) || p[p.length - 1] !== 100) {
      return reject(ErrorCode.DOCUMENT_INVALID, 'wavePercents must be ascending and end at 100');
    }
    return { ok: true };
  },
});
