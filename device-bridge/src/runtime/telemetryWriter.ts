/**
 * Device telemetry → printer documents, coalesced: at most one write per printer per
 * `coalesceMs` (the first change after a quiet period goes out at once, later ones are merged
 * into one write at the end of the period), only the fields that changed plus `lastSeenAt`.
 * The state to deliver is kept in the store at each flush, so a restarted bridge delivers
 * the last state it saw even before (or without) hearing from the device again.
 */
import { TELEMETRY_FIELDS, type PrinterTelemetry, type TelemetryField } from '../adapters/sharedDevices.js';
import type { BridgeStore } from './bridgeStore.js';
import type { BridgeLogger } from './config.js';

export interface PrinterDocAccess {
  read(id: string): Promise<Record<string, unknown> | undefined>;
  modify(id: string, change: (data: Record<string, unknown>) => Record<string, unknown> | null): Promise<boolean>;
}

interface Slot {
  desired?: PrinterTelemetry;
  lastFlushAt: number;
  timer?: NodeJS.Timeout;
  flushing?: Promise<void>;
  /** Write lastSeenAt even if nothing else changed (periodic refresh). */
  touch: boolean;
}

/** The state to deliver after a telemetry update: offline keeps the last known fields. */
export function nextState(previous: PrinterTelemetry | undefined, telemetry: PrinterTelemetry): PrinterTelemetry {
  if (telemetry.status !== 'offline') return telemetry;
  const kept: PrinterTelemetry = { ...previous, status: 'offline' };
  if (telemetry.lastError) kept.lastError = telemetry.lastError;
  if (!kept.lastSeenAt && telemetry.lastSeenAt) kept.lastSeenAt = telemetry.lastSeenAt;
  return kept;
}

/** Telemetry fields the printer document requires: absent from telemetry means this value, not removal. */
const REQUIRED_DEFAULTS: Partial<Record<TelemetryField, unknown>> = { progress: 0 };

/** Fields to set and to remove so the document carries `state` (lastSeenAt not counted as a change). */
export function telemetryChanges(
  doc: Record<string, unknown>,
  state: PrinterTelemetry,
): { set: Record<string, unknown>; unset: string[] } {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const field of TELEMETRY_FIELDS) {
    if (field === 'lastSeenAt') continue;
    const want = state[field] ?? REQUIRED_DEFAULTS[field];
    if (want === undefined) {
      if (doc[field] !== undefined) unset.push(field);
    } else if (JSON.stringify(doc[field]) !== JSON.stringify(want)) set[field] = want;
  }
  return { set, unset };
}

export class TelemetryWriter {
  private readonly slots = new Map<string, Slot>();
  private stopped = false;
  /** Writes made to the replica (each becomes at most one push). */
  writes = 0;
  readonly writesByPrinter = new Map<string, number>();

  constructor(
    private readonly opts: {
      coalesceMs: number;
      store: BridgeStore;
      docs: PrinterDocAccess;
      logger: BridgeLogger;
      now?: () => number;
    },
  ) {}

  /** Returns the state now to be delivered. */
  update(printerId: string, telemetry: PrinterTelemetry): PrinterTelemetry {
    const slot = this.slot(printerId);
    slot.desired = nextState(slot.desired ?? this.opts.store.states.get(printerId), telemetry);
    this.schedule(printerId, slot);
    return slot.desired;
  }

  /** The document arrived or changed in the replica: deliver the state if the document differs from it. */
  documentChanged(printerId: string, doc: Record<string, unknown>): void {
    const slot = this.slot(printerId);
    const state = slot.desired ?? this.opts.store.states.get(printerId);
    if (!state) return;
    const { set, unset } = telemetryChanges(doc, state);
    if (Object.keys(set).length > 0 || unset.length > 0) this.schedule(printerId, slot);
  }

  /** The state being delivered for this printer. */
  current(printerId: string): PrinterTelemetry | undefined {
    return this.slots.get(printerId)?.desired ?? this.opts.store.states.get(printerId);
  }

  /** Refresh lastSeenAt of a printer that is online but quiet. */
  touch(printerId: string, lastSeenAt: string): void {
    const slot = this.slot(printerId);
    if (!slot.desired || slot.desired.status === 'offline') return;
    slot.desired = { ...slot.desired, lastSeenAt };
    slot.touch = true;
    this.schedule(printerId, slot);
  }

  lastWriteAt(printerId: string): number {
    return this.slots.get(printerId)?.lastFlushAt ?? 0;
  }

  forget(printerId: string): void {
    const slot = this.slots.get(printerId);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(printerId);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) if (slot.timer) clearTimeout(slot.timer);
    await Promise.all([...this.slots.values()].map((s) => s.flushing));
    // Keep the latest state even if its write period had not come yet.
    for (const [id, slot] of this.slots) if (slot.desired) await this.opts.store.putState(id, slot.desired);
  }

  private slot(printerId: string): Slot {
    let slot = this.slots.get(printerId);
    if (!slot) {
      slot = { lastFlushAt: 0, touch: false };
      this.slots.set(printerId, slot);
    }
    return slot;
  }

  private schedule(printerId: string, slot: Slot): void {
    if (this.stopped || slot.timer || slot.flushing) return;
    const now = this.opts.now?.() ?? Date.now();
    const wait = Math.max(0, slot.lastFlushAt + this.opts.coalesceMs - now);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      const flushed = slot.desired;
      slot.flushing = this.flush(printerId, slot).finally(() => {
        slot.flushing = undefined;
        // A change that arrived during the write goes out in the next period.
        if (slot.desired !== flushed || slot.touch) this.schedule(printerId, slot);
      });
    }, wait);
  }

  private async flush(printerId: string, slot: Slot): Promise<void> {
    const state = slot.desired ?? this.opts.store.states.get(printerId);
    if (!state || this.stopped) return;
    slot.desired = state;
    slot.lastFlushAt = this.opts.now?.() ?? Date.now();
    try {
      const touch = slot.touch;
      slot.touch = false;
      await this.opts.store.putState(printerId, state);
      const doc = await this.opts.docs.read(printerId);
      if (!doc) return; // not replicated yet (server unreachable since start): delivered when it arrives
      const { set, unset } = telemetryChanges(doc, state);
      if (Object.keys(set).length === 0 && unset.length === 0 && !touch) return;
      const written = await this.opts.docs.modify(printerId, (data) => {
        const next: Record<string, unknown> = { ...data, ...set };
        for (const field of unset) delete next[field];
        if (state.lastSeenAt) next.lastSeenAt = state.lastSeenAt;
        return next;
      });
      if (written) {
        this.writes += 1;
        this.writesByPrinter.set(printerId, (this.writesByPrinter.get(printerId) ?? 0) + 1);
      }
    } catch (error) {
      this.opts.logger.warn('printer state write failed', { printerId, error: String(error) });
    }
  }
}
