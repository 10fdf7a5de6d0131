/**
 * The bridge's durable store: assigned printers (to reach them without the server), the latest
 * printer state per printer, the replicated commands with what the bridge did about each
 * (`started` before sending, then the outcome), and recently finished command ids. Everything
 * the runtime must not lose in a `kill -9` goes through here and is synced before it counts.
 */
import path from 'node:path';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';
import type { BridgeLogger } from './config.js';
import { Journal } from './journal.js';
import type { CommandResult, KnownCommand, KnownPrinter, StoreRecord } from './storeRecords.js';

export interface CommandEntry {
  command: KnownCommand;
  startedAt?: string;
  result?: CommandResult;
}

export const STORE_FILE = 'bridge-store.jsonl';
/** Finished command ids remembered after their entry is dropped (a second guard against re-running). */
const DONE_KEPT = 2_000;

export class BridgeStore {
  readonly printers = new Map<string, KnownPrinter>();
  readonly states = new Map<string, PrinterTelemetry>();
  readonly commands = new Map<string, CommandEntry>();
  private readonly done = new Set<string>();
  private journal!: Journal<StoreRecord>;

  private constructor() {}

  static async open(dataDir: string, logger: BridgeLogger): Promise<BridgeStore> {
    const store = new BridgeStore();
    const { journal } = await Journal.open<StoreRecord>(path.join(dataDir, STORE_FILE), logger, {
      compact: (records) => {
        for (const r of records) store.apply(r);
        return store.snapshot();
      },
    });
    store.journal = journal;
    return store;
  }

  /** The state these records describe, read-only (for inspecting a bridge's folder). */
  static fold(records: StoreRecord[]): BridgeStore {
    const store = new BridgeStore();
    for (const r of records) store.apply(r);
    return store;
  }

  isDone(id: string): boolean {
    return this.done.has(id);
  }

  async putPrinter(printer: KnownPrinter): Promise<void> {
    if (JSON.stringify(this.printers.get(printer.id)) === JSON.stringify(printer)) return;
    await this.write({ t: 'printer', printer });
  }

  async removePrinter(id: string): Promise<void> {
    if (this.printers.has(id)) await this.write({ t: 'printer-gone', id });
  }

  async putState(id: string, state: PrinterTelemetry): Promise<void> {
    if (JSON.stringify(this.states.get(id)) === JSON.stringify(state)) return;
    await this.write({ t: 'state', id, state });
  }

  /** Records the replicated state of a command; false when the id is already finished here. */
  async putCommand(command: KnownCommand): Promise<boolean> {
    if (this.done.has(command.id)) return false;
    if (JSON.stringify(this.commands.get(command.id)?.command) !== JSON.stringify(command)) {
      await this.write({ t: 'command', command });
    }
    return true;
  }

  async removeCommand(id: string): Promise<void> {
    if (this.commands.has(id)) await this.write({ t: 'command-gone', id });
  }

  async markStarted(id: string, at: string): Promise<void> {
    await this.write({ t: 'started', id, at });
  }

  async recordResult(id: string, result: CommandResult): Promise<void> {
    await this.write({ t: 'outcome', id, result });
  }

  async markDone(id: string): Promise<void> {
    if (this.done.has(id) && !this.commands.has(id)) return;
    await this.write({ t: 'done', id });
  }

  /** Commands with an outcome the server does not show yet. */
  undelivered(): CommandEntry[] {
    return [...this.commands.values()].filter((e) => e.result);
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  /** Apply in memory first (so readers see it at once), then make it durable. */
  private async write(record: StoreRecord): Promise<void> {
    this.apply(record);
    await this.journal.append(record);
    const live = this.printers.size + this.states.size + this.commands.size * 3 + this.done.size;
    if (this.journal.lines > Math.max(1_000, live * 4)) await this.compact();
  }

  /** One compaction at a time: writers that cross the threshold together share it. */
  private compacting: Promise<void> | null = null;
  private compact(): Promise<void> {
    this.compacting ??= this.journal.rewrite(this.snapshot()).finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private apply(r: StoreRecord): void {
    switch (r.t) {
      case 'printer':
        this.printers.set(r.printer.id, r.printer);
        return;
      case 'printer-gone':
        this.printers.delete(r.id);
        this.states.delete(r.id);
        return;
      case 'state':
        this.states.set(r.id, r.state);
        return;
      case 'command': {
        if (this.done.has(r.command.id)) return;
        const entry = this.commands.get(r.command.id);
        if (entry) entry.command = r.command;
        else this.commands.set(r.command.id, { command: r.command });
        return;
      }
      case 'command-gone': {
        const entry = this.commands.get(r.id);
        this.commands.delete(r.id);
        // Something was sent for it: never let it run again, even if it comes back.
        if (entry?.startedAt || entry?.result) this.remember(r.id);
        return;
      }
      case 'started': {
        const entry = this.commands.get(r.id);
        if (entry) entry.startedAt = r.at;
        return;
      }
      case 'outcome': {
        const entry = this.commands.get(r.id);
        if (entry) entry.result = r.result;
        return;
      }
      case 'done':
        this.commands.delete(r.id);
        this.remember(r.id);
        return;
    }
  }

  private remember(id: string): void {
    this.done.add(id);
    if (this.done.size > DONE_KEPT) this.done.delete(this.done.values().next().value as string);
  }

  private snapshot(): StoreRecord[] {
    const out: StoreRecord[] = [];
    for (const printer of this.printers.values()) out.push({ t: 'printer', printer });
    for (const [id, state] of this.states) out.push({ t: 'state', id, state });
    for (const id of this.done) out.push({ t: 'done', id });
    for (const [id, e] of this.commands) {
      out.push({ t: 'command', command: e.command });
      if (e.startedAt) out.push({ t: 'started', id, at: e.startedAt });
      if (e.result) out.push({ t: 'outcome', id, result: e.result });
    }
    return out;
  }
}
