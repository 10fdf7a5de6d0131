/**
 * Commands are documents: the UI inserts a pending command for the printer, it replicates
 * to the device bridge, which reports acknowledged → succeeded/failed/expired.
 */
import { newId, PRINTER_ACTIONS, type Command, type Principal } from '@fleetsync/shared';
import { collectionOf, type AppDatabase } from '../../../db/types.js';
import { validateDoc } from '../../form/validateDoc.js';

export type PrinterAction = (typeof PRINTER_ACTIONS)[number];

/** A command not run within this time is not run any more (the bridge marks it expired). */
export const COMMAND_TTL_MS = 10 * 60_000;

export const ACTION_TEXT: Record<string, string> = {
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  start_job: 'Start job',
  set_temperature: 'Set temperatures',
  mark_bed_cleared: 'Mark bed cleared',
};

export async function issueCommand(
  db: AppDatabase,
  principal: Principal,
  printer: { id: string; orgId: string },
  action: PrinterAction,
  params: Command['params'] = {},
): Promise<void> {
  const doc = {
    id: newId(),
    orgId: printer.orgId,
    clock: {},
    targetKind: 'printer' as const,
    targetId: printer.id,
    action,
    params,
    status: 'pending' as const,
    expiresAt: new Date(Date.now() + COMMAND_TTL_MS).toISOString(),
  };
  const check = validateDoc('commands', doc, undefined, principal);
  if (!check.ok) throw new Error(check.form ?? Object.values(check.fields)[0] ?? 'the command is not valid');
  await collectionOf(db, 'commands').insert(doc);
}
