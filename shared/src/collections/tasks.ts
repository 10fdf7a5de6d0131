/**
 * Endpoint tasks and their executions, in one collection (named so it does not clash with
 * print `jobs`). A person writes a `task` (script, command, reboot, package install or
 * uninstall; for devices and/or groups); the server expands it into one `execution` per target
 * device and owns every execution from then on (lease, running, result, retries). Deployments
 * create executions too (with `deploymentId` and `waveIndex`).
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { scriptSchema } from '../fleet/agentProtocol.js';
import { EXECUTION_OUTCOMES, EXECUTION_STATES, MAX_OUTPUT_CHARS, TASK_ACTIONS } from '../fleet/executions.js';
import { stableStringify } from '../sync/merge.js';
import { baseFields, defineCollection, reject } from './define.js';

export const TASK_KINDS = ['task', 'execution'] as const;
export const TASK_STATUSES = ['active', 'cancelled'] as const;

const id = z.string().min(1).max(64);
const iso = z.string().max(40);

export const taskSchema = z
  .object({
    ...baseFields,
    kind: z.enum(TASK_KINDS),
    action: z.enum(TASK_ACTIONS),
    // --- a task (written by people) ---
    name: z.string().min(1).max(200).optional(),
    notes: z.string().max(2000).optional(),
    script: scriptSchema.optional(),
    command: z
      .object({ argv: z.array(z.string().max(4000)).min(1).max(100) })
      .strict()
      .optional(),
    packageId: id.optional(),
    packageVersion: z.string().max(120).optional(),
    preScript: scriptSchema.optional(),
    postScript: scriptSchema.optional(),
    targetDeviceIds: z.array(id).max(5000).optional(),
    targetGroupIds: z.array(id).max(100).optional(),
    timeoutSeconds: z.number().int().min(1).max(86_400).optional(),
    maxAttempts: z.number().int().min(1).max(10).optional(),
    retryBackoffSeconds: z.number().int().min(0).max(3600).optional(),
    status: z.enum(TASK_STATUSES).optional(),
    /** Server-owned: when the server expanded the task into executions, and into how many. */
    expandedAt: iso.optional(),
    targetCount: z.number().int().min(0).optional(),
    // --- an execution (written by the server only) ---
    taskId: id.optional(),
    deploymentId: id.optional(),
    waveIndex: z.number().int().min(0).max(100).optional(),
    deviceId: id.optional(),
    state: z.enum(EXECUTION_STATES).optional(),
    attempt: z.number().int().min(1).max(100).optional(),
    notBefore: iso.optional(),
    leaseExpiresAt: iso.optional(),
    leasedAt: iso.optional(),
    startedAt: iso.optional(),
    finishedAt: iso.optional(),
    exitCode: z.number().int().nullable().optional(),
    stdout: z.string().max(MAX_OUTPUT_CHARS).optional(),
    stderr: z.string().max(MAX_OUTPUT_CHARS).optional(),
    outcome: z.enum(EXECUTION_OUTCOMES).optional(),
    message: z.string().max(500).optional(),
  })
  .strict();
export type TaskDoc = z.infer<typeof taskSchema>;

export const EXECUTION_FIELDS = [
  'taskId',
  'deploymentId',
  'waveIndex',
  'deviceId',
  'state',
  'attempt',
  'notBefore',
  'leaseExpiresAt',
  'leasedAt',
  'startedAt',
  'finishedAt',
  'exitCode',
  'stdout',
  'stderr',
  'outcome',
  'message',
] as const;
/** What a task's author cannot change once it is written (its status can go to 'cancelled'). */
const TASK_IMMUTABLE = [
  'action',
  'script',
  'command',
  'packageId',
  'packageVersion',
  'preScript',
  'postScript',
  'targetDeviceIds',
  'targetGroupIds',
  'timeoutSeconds',
  'maxAttempts',
  'retryBackoffSeconds',
] as const;

export const TASK_DEFAULTS = { timeoutSeconds: 600, maxAttempts: 1, retryBackoffSeconds: 30 } as const;

function checkNewTask(next: TaskDoc): { ok: true } | { ok: false; code: ErrorCode; message: string } {
  if (!next.name) return reject(ErrorCode.DOCUMENT_INVALID, 'a task needs a name');
  if ((next.status ?? 'active') !== 'active') return reject(ErrorCode.INVALID_TRANSITION, 'a new task must be active');
  const present = EXECUTION_FIELDS.filter((f) => next[f] !== undefined);
  if (present.length > 0)
    return reject(ErrorCode.SERVER_FIELD_FORBIDDEN, `execution fields are the server's: ${present.join(', ')}`);
  if (!next.targetDeviceIds?.length && !next.targetGroupIds?.length)
    return reject(ErrorCode.DOCUMENT_INVALID, 'a task needs at least one target device or group');
  switch (next.action) {
    case 'script':
      return next.script ? { ok: true } : reject(ErrorCode.DOCUMENT_INVALID, 'a script task needs a script');
    case 'command':
      return next.command ? { ok: true } : reject(ErrorCode.DOCUMENT_INVALID, 'a command task needs command.argv');
    case 'package_install':
    case 'package_uninstall':
      return next.packageId && next.packageVersion
        ? { ok: true }
        : reject(ErrorCode.DOCUMENT_INVALID, 'a package task needs packageId and packageVersion');
    case 'reboot':
      return { ok: true };
  }
}

export const tasks = defineCollection({
  name: 'tasks',
  schemaVersion: 0,
  zod: taskSchema,
  extraServerOwned: ['expandedAt', 'targetCount'],
  rule: ({ previous, next }) => {
    if (next.kind === 'execution' || previous?.kind === 'execution') {
      return reject(
        ErrorCode.WRITE_FORBIDDEN,
        previous
          ? 'executions are written by the server; cancel one with POST /api/fleet/executions/:id/cancel'
          : 'executions are created by the server from tasks and deployments',
      );
    }
    if (!previous) return checkNewTask(next);
    if (next._deleted) return { ok: true };
    for (const f of TASK_IMMUTABLE) {
      if (stableStringify(previous[f]) !== stableStringify(next[f]))
        return reject(ErrorCode.WRITE_FORBIDDEN, `a task's ${f} cannot change after it was issued`);
    }
    if (EXECUTION_FIELDS.some((f) => next[f] !== undefined))
      return reject(ErrorCode.SERVER_FIELD_FORBIDDEN, "execution fields are the server's");
    if ((previous.status ?? 'active') !== (next.status ?? 'active') && next.status !== 'cancelled') {
      return reject(ErrorCode.INVALID_TRANSITION, 'a cancelled task stays cancelled');
    }
    return { ok: true };
  },
});
