/**
 * Commands as documents, at most once per command id (ARCHITECTURE §1):
 *
 *   pending, expired          → outcome `expired` (the device is never touched)
 *   pending, device online    → `acknowledged` → "started" synced to the store → sent to the
 *                               device → outcome `succeeded` | `failed` (device's code and reason)
 *   started, no outcome       → (after a crash) outcome `failed` / `interrupted`, never re-sent
 *   acknowledged, not started → the same: someone acknowledged it, so it may have been sent
 *
 * A command for a printer that is offline stays pending until the printer is back or the
 * command expires. Outcomes are written to the replica until the server shows a final status
 * (the server's document is the source of truth; a final status there ends the matter).
 */
import type { RejectedWrite } from '@fleetsync/shared/sync';
import type { CommandOutcome } from '../adapters/sharedDevices.js';
import type { BridgeStore, CommandEntry } from './bridgeStore.js';
import type { BridgeLogger } from './config.js';
import type { Devices } from './devices.js';
import type { PrinterHistory } from './printerHistory.js';
import { isFinal, knownCommand, type CommandResult } from './storeRecords.js';
import type { PrinterDocAccess } from './telemetryWriter.js';

export interface CommandRunnerOptions {
  store: BridgeStore;
  devices: Pick<Devices, 'get' | 'online' | 'problems'>;
  docs: PrinterDocAccess;
  history: PrinterHistory;
  logger: BridgeLogger;
  commandTimeoutMs: number;
  ackWaitMs: number;
  /** Whether the live sync connection is up (then `acknowledged` is confirmed before sending). */
  syncOnline(): boolean;
  /** Whether the credential list is fresh from the server (then an unreachable printer fails its commands). */
  credentialsFresh(): boolean;
  /** Told after the device answered a command (the auto-queue follows `mark_bed_cleared`). */
  onExecuted?(command: { targetId: string; action: string }, outcome: CommandOutcome): void;
}

export interface CommandStats {
  executed: number;
  expired: number;
  interrupted: number;
  delivered: number;
}

const now = () => new Date().toISOString();

export class CommandRunner {
  private readonly inFlight = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly waiters = new Map<string, () => void>();
  /** Outcomes being decided without the device (awaited by stop()). */
  private readonly settling = new Set<Promise<void>>();
  private stopped = false;
  readonly stats: CommandStats = { executed: 0, expired: 0, interrupted: 0, delivered: 0 };

  constructor(private readonly opts: CommandRunnerOptions) {}

  /** After a crash: what was started but has no outcome failed as `interrupted`. */
  async recoverInterrupted(): Promise<number> {
    let count = 0;
    for (const entry of [...this.opts.store.commands.values()]) {
      if (!entry.startedAt || entry.result) continue;
      count += 1;
      await this.finish(entry, {
        status: 'failed',
        resultCode: 'interrupted',
        resultMessage: 'the bridge stopped while sending this command; it was not sent again',
        finishedAt: now(),
        acknowledgedAt: entry.startedAt,
      });
    }
    return count;
  }

  /** A command document changed in the replica (from the server or by this bridge). */
  async replicated(doc: Record<string, unknown>): Promise<void> {
    const id = String(doc.id);
    // Commands for other targets (endpoint agents) belong to another part of the bridge.
    if (doc.targetKind !== 'printer' || this.opts.store.isDone(id)) return;
    const entry = this.opts.store.commands.get(id);
    if (isFinal(doc.status) && !entry?.result) {
      // This bridge writes a final status only after recording it, so this is the server's.
      if (entry) await this.opts.store.markDone(id);
      return;
    }
    const command = knownCommand(doc);
    await this.opts.store.putCommand(command);
    if (!entry && command.status === 'pending') {
      this.opts.logger.info('command received', { commandId: id, action: command.action, printerId: command.targetId });
    }
    await this.deliver(id);
    this.scan();
  }

  async removed(id: string): Promise<void> {
    await this.opts.store.removeCommand(id);
  }

  /** The server holds this state of a command (a push it accepted, or a pull / stream). */
  async serverHas(doc: Record<string, unknown>): Promise<void> {
    const id = String(doc.id);
    if (doc.status === 'pending') return;
    this.waiters.get(id)?.();
    if (!isFinal(doc.status)) return;
    const entry = this.opts.store.commands.get(id);
    if (!entry) return;
    if (entry.result) {
      this.stats.delivered += 1;
      this.opts.logger.info('command outcome delivered', { commandId: id, status: doc.status });
    }
    await this.opts.store.markDone(id);
  }

  /** The server refused a write of ours: it will not take this outcome, so stop offering it. */
  async rejected(r: RejectedWrite): Promise<void> {
    if (r.collection !== 'commands') {
      this.opts.logger.warn('the server refused a write', {
        collection: r.collection,
        id: r.rejection.id,
        code: r.rejection.code,
        message: r.rejection.message,
        details: (r.rejection as { details?: unknown }).details,
        attempted: r.attempted,
      });
      return;
    }
    const entry = this.opts.store.commands.get(r.rejection.id);
    if (!entry?.result) return;
    this.opts.logger.warn('the server refused a command outcome', {
      commandId: r.rejection.id,
      code: r.rejection.code,
      message: r.rejection.message,
    });
    await this.opts.store.markDone(r.rejection.id);
  }

  /** Commands that the server no longer shows to this bridge (after a complete first pull). */
  async pruneMissing(present: Set<string>): Promise<void> {
    for (const id of [...this.opts.store.commands.keys()]) {
      if (present.has(id) || this.inFlight.has(id)) continue;
      this.opts.logger.warn('command no longer assigned to this bridge; dropped', { commandId: id });
      await this.opts.store.removeCommand(id);
    }
  }

  /** Look at every known command and start what can start. Cheap; called on every change and by a timer. */
  scan(): void {
    if (this.stopped) return;
    for (const entry of this.opts.store.commands.values()) {
      const { command } = entry;
      if (this.inFlight.has(command.id) || entry.result || entry.startedAt) continue;
      if (command.status === 'acknowledged') {
        this.settle(
          entry,
          failure(
            'interrupted',
            'this command was acknowledged before, but the bridge has no record of sending it; it was not sent again',
          ),
        );
      } else if (command.status !== 'pending') continue;
      else if (Date.parse(command.expiresAt) <= Date.now()) this.settle(entry, expired());
      else if (this.opts.devices.get(command.targetId) && this.opts.devices.online(command.targetId)) this.enqueue(entry);
      else {
        const problem = this.opts.devices.problems.get(command.targetId);
        if (problem && this.opts.credentialsFresh()) this.settle(entry, failure('not_configured', problem));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.queues.values(), ...this.settling]);
    for (const wake of this.waiters.values()) wake();
  }

  private enqueue(entry: CommandEntry): void {
    const { id, targetId } = entry.command;
    this.inFlight.add(id);
    const next = (this.queues.get(targetId) ?? Promise.resolve())
      .then(() => this.run(id))
      .catch((error: unknown) => this.opts.logger.warn('command run failed', { commandId: id, error: String(error) }))
      .finally(() => {
        this.inFlight.delete(id);
        if (this.queues.get(targetId) === next) this.queues.delete(targetId);
      });
    this.queues.set(targetId, next);
  }

  private async run(id: string): Promise<void> {
    const entry = this.opts.store.commands.get(id);
    if (!entry || entry.result || entry.startedAt || entry.command.status !== 'pending' || this.stopped) return;
    const { command } = entry;
    if (Date.parse(command.expiresAt) <= Date.now()) return this.finish(entry, expired());
    const adapter = this.opts.devices.get(command.targetId);
    if (!adapter || !this.opts.devices.online(command.targetId)) return; // held until the device is back
    const acknowledgedAt = now();
    const acked = await this.opts.docs.modify(id, (d) =>
      d.status === 'pending' ? { ...d, status: 'acknowledged', acknowledgedAt } : null,
    );
    if (acked && this.opts.syncOnline()) await this.serverConfirmation(id, this.opts.ackWaitMs);
    await this.opts.store.markStarted(id, acknowledgedAt); // durable before anything reaches the device
    this.opts.logger.info('command sent', { commandId: id, action: command.action, printerId: command.targetId });
    const outcome = await adapter.execute(command.action, command.params, { timeoutMs: this.opts.commandTimeoutMs });
    this.stats.executed += 1;
    this.opts.onExecuted?.(command, outcome);
    const finishedAt = now();
    await this.finish(
      entry,
      outcome.ok
        ? { status: 'succeeded', finishedAt, acknowledgedAt }
        : { status: 'failed', resultCode: outcome.code, resultMessage: outcome.reason, finishedAt, acknowledgedAt },
    );
  }

  /** Decide an outcome without the device (expired, interrupted, not runnable here). */
  private settle(entry: CommandEntry, result: CommandResult): void {
    const { id } = entry.command;
    if (this.inFlight.has(id)) return;
    this.inFlight.add(id);
    const work = this.finish(entry, result)
      .catch((error: unknown) => this.opts.logger.warn('command outcome not recorded', { commandId: id, error: String(error) }))
      .finally(() => {
        this.inFlight.delete(id);
        this.settling.delete(work);
      });
    this.settling.add(work);
  }

  private async finish(entry: CommandEntry, result: CommandResult): Promise<void> {
    const { id, targetId, action } = entry.command;
    await this.opts.store.recordResult(id, result);
    if (result.status === 'expired') this.stats.expired += 1;
    if (result.resultCode === 'interrupted') this.stats.interrupted += 1;
    this.opts.history.commandOutcome(targetId, id, action, result.status, result.resultCode);
    this.opts.logger.info('command finished', {
      commandId: id,
      status: result.status,
      resultCode: result.resultCode,
      resultMessage: result.resultMessage,
    });
    await this.deliver(id);
  }

  /** Put the recorded outcome on the replica's document, unless it already shows a final status. */
  private async deliver(id: string): Promise<void> {
    const result = this.opts.store.commands.get(id)?.result;
    if (!result) return;
    await this.opts.docs.modify(id, (d) => {
      if (isFinal(d.status)) return null; // ours, on its way to the server, or the server's final word
      const next: Record<string, unknown> = { ...d, status: result.status, finishedAt: result.finishedAt };
      if (result.resultCode) next.resultCode = result.resultCode;
      if (result.resultMessage) next.resultMessage = result.resultMessage;
      if (result.acknowledgedAt && !d.acknowledgedAt) next.acknowledgedAt = result.acknowledgedAt;
      return next;
    });
  }

  private serverConfirmation(id: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, timeoutMs);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.set(id, () => {
        this.waiters.delete(id);
        wake();
      });
    });
  }
}

function failure(resultCode: string, resultMessage: string): CommandResult {
  return { status: 'failed', resultCode, resultMessage, finishedAt: now() };
}

function expired(): CommandResult {
  return {
    status: 'expired',
    resultCode: 'expired',
    resultMessage: 'the command expired before the bridge could run it',
    finishedAt: now(),
  };
}
