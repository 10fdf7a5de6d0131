/**
 * The records of the bridge's durable store (`<dataDir>/bridge-store.jsonl`), one JSON object per
 * line. Later records override earlier ones; the file is compacted to one record per fact.
 */
import type { Command, CommandStatus, Printer } from '@fleetsync/shared';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';

/** What the bridge needs of an assigned printer to reach it without the server. */
export type KnownPrinter = Pick<Printer, 'id' | 'name' | 'protocol' | 'host' | 'serial' | 'bridgeId'>;

/** A command as last replicated (the parts needed to run it without the server). */
export type KnownCommand = Pick<Command, 'id' | 'targetKind' | 'targetId' | 'action' | 'params' | 'status' | 'expiresAt'>;

export type FinalStatus = Extract<CommandStatus, 'succeeded' | 'failed' | 'expired'>;

/** The outcome the bridge decided for a command: delivered to the server until it shows a final status. */
export interface CommandResult {
  status: FinalStatus;
  resultCode?: string;
  resultMessage?: string;
  finishedAt: string;
  acknowledgedAt?: string;
}

export type StoreRecord =
  | { t: 'printer'; printer: KnownPrinter }
  | { t: 'printer-gone'; id: string }
  /** The latest printer state the bridge wants the server to hold. */
  | { t: 'state'; id: string; state: PrinterTelemetry }
  | { t: 'command'; command: KnownCommand }
  | { t: 'command-gone'; id: string }
  /** Written (and synced) before the command is sent to the device. */
  | { t: 'started'; id: string; at: string }
  | { t: 'outcome'; id: string; result: CommandResult }
  /** The server shows a final status: nothing more to do for this id. */
  | { t: 'done'; id: string };

export const FINAL_STATUSES: readonly CommandStatus[] = ['succeeded', 'failed', 'expired'];

export function isFinal(status: unknown): status is FinalStatus {
  return typeof status === 'string' && (FINAL_STATUSES as readonly string[]).includes(status);
}

export function knownPrinter(doc: Record<string, unknown>): KnownPrinter {
  const p = doc as Printer;
  return {
    id: p.id,
    name: p.name,
    protocol: p.protocol,
    ...(p.host !== undefined ? { host: p.host } : {}),
    ...(p.serial !== undefined ? { serial: p.serial } : {}),
    ...(p.bridgeId !== undefined ? { bridgeId: p.bridgeId } : {}),
  };
}

export function knownCommand(doc: Record<string, unknown>): KnownCommand {
  const c = doc as Command;
  return {
    id: c.id,
    targetKind: c.targetKind,
    targetId: c.targetId,
    action: c.action,
    params: c.params,
    status: c.status,
    expiresAt: c.expiresAt,
  };
}
