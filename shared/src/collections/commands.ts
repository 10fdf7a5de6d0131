/**
 * Commands as documents (ARCHITECTURE §1): a client writes one, it replicates to the bridge
 * that owns the device, the bridge executes it at most once per id and writes the outcome.
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { baseFields, defineCollection, reject } from './define.js';

export const PRINTER_ACTIONS = ['pause', 'resume', 'stop', 'start_job', 'set_temperature', 'mark_bed_cleared'] as const;
export const COMMAND_STATUSES = ['pending', 'acknowledged', 'succeeded', 'failed', 'expired'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

export const COMMAND_TRANSITIONS: Record<CommandStatus, readonly CommandStatus[]> = {
  pending: ['acknowledged', 'succeeded', 'failed', 'expired'],
  acknowledged: ['succeeded', 'failed', 'expired'],
  succeeded: [],
  failed: [],
  expired: [],
};

export const commandSchema = z
  .object({
    ...baseFields,
    targetKind: z.enum(['printer', 'device']),
    targetId: z.string().min(1).max(64),
    /** The bridge that must execute it; the server copies it from the target printer. */
    bridgeId: z.string().max(64).optional(),
    action: z.string().min(1).max(40),
    params: z.record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean()])),
    status: z.enum(COMMAND_STATUSES),
    /** After this instant (ISO) a command that has not run is not run any more. */
    expiresAt: z.string().max(40),
    resultCode: z.string().max(60).optional(),
    resultMessage: z.string().max(500).optional(),
    acknowledgedAt: z.string().max(40).optional(),
    finishedAt: z.string().max(40).optional(),
  })
  .strict();
export type Command = z.infer<typeof commandSchema>;

export const commands = defineCollection({
  name: 'commands',
  schemaVersion: 0,
  zod: commandSchema,
  extraServerOwned: ['bridgeId'],
  rule: ({ principal, previous, next }) => {
    if (!previous) {
      if (next.status !== 'pending') return reject(ErrorCode.INVALID_TRANSITION, 'a new command must be pending');
      if (next.targetKind === 'printer' && !(PRINTER_ACTIONS as readonly string[]).includes(next.action)) {
        return reject(ErrorCode.DOCUMENT_INVALID, `unknown printer action ${next.action}`);
      }
      return { ok: true };
    }
    for (const f of ['targetKind', 'targetId', 'action', 'params', 'expiresAt'] as const) {
      if (JSON.stringify(previous[f]) !== JSON.stringify(next[f])) {
        return reject(ErrorCode.WRITE_FORBIDDEN, `a command's ${f} cannot change after it was issued`);
      }
    }
    if (previous.status !== next.status) {
      if (!principal.bridgeId || principal.bridgeId !== previous.bridgeId) {
        return reject(ErrorCode.WRITE_FORBIDDEN, 'only the bridge that owns the device reports command outcomes');
      }
      if (!COMMAND_TRANSITIONS[previous.status].includes(next.status)) {
        return reject(ErrorCode.INVALID_TRANSITION, `a command cannot go from ${previous.status} to ${next.status}`);
      }
    }
    return { ok: true };
  },
});
