/**
 * A compact time series per printer for analytics, kept only on the bridge
 * (`<dataDir>/printer-history.jsonl`): status transitions, one record per job with the device's
 * estimated and the actual duration, device failures, and command outcomes. It is fed from the
 * same state the bridge writes to the printer document.
 */
import path from 'node:path';
import type { PrinterStatus, PrinterTelemetry } from '../adapters/sharedDevices.js';
import type { BridgeLogger } from './config.js';
import { Journal } from './journal.js';

export type JobEnd = 'finished' | 'cancelled' | 'error' | 'replaced';

export type HistoryEvent =
  | { t: 'status'; printerId: string; at: string; from: PrinterStatus | null; to: PrinterStatus }
  | { t: 'job-start'; printerId: string; at: string; jobId?: string }
  | {
      t: 'job';
      printerId: string;
      jobId?: string;
      startedAt: string;
      endedAt: string;
      end: JobEnd;
      /** The device's own estimate of the whole print (elapsed + remaining when first reported). */
      estimatedSeconds?: number;
      actualSeconds: number;
      pausedSeconds: number;
    }
  | { t: 'failure'; printerId: string; at: string; code: string; message: string }
  | { t: 'command'; printerId: string; at: string; commandId: string; action: string; status: string; resultCode?: string };

export type JobRecord = Extract<HistoryEvent, { t: 'job' }>;

interface OpenJob {
  jobId?: string;
  startedAt: number;
  estimatedSeconds?: number;
  pausedMs: number;
  pausedSince?: number;
}

interface Tracker {
  status: PrinterStatus | null;
  job?: OpenJob;
  errors: Set<string>;
}

export const HISTORY_FILE = 'printer-history.jsonl';
const ACTIVE: ReadonlySet<PrinterStatus> = new Set(['heating', 'printing', 'paused']);

export class PrinterHistory {
  private readonly events: HistoryEvent[] = [];
  private readonly trackers = new Map<string, Tracker>();
  private journal!: Journal<HistoryEvent>;

  private constructor(private readonly maxEvents: number) {}

  static async open(dataDir: string, logger: BridgeLogger, maxEvents = 20_000): Promise<PrinterHistory> {
    const history = new PrinterHistory(maxEvents);
    const { journal, records } = await Journal.open<HistoryEvent>(path.join(dataDir, HISTORY_FILE), logger, {
      mode: 0o644,
      compact: (records) => records.slice(-maxEvents),
    });
    history.journal = journal;
    for (const e of records) history.replay(e);
    return history;
  }

  /** Every event (oldest first), or one printer's. */
  list(printerId?: string): HistoryEvent[] {
    return printerId ? this.events.filter((e) => e.printerId === printerId) : [...this.events];
  }

  jobs(printerId?: string): JobRecord[] {
    return this.list(printerId).filter((e): e is JobRecord => e.t === 'job');
  }

  /** Feed the printer state as the bridge now sees it. */
  observe(printerId: string, state: PrinterTelemetry, now = Date.now()): void {
    const tracker = this.tracker(printerId);
    const at = new Date(now).toISOString();
    const { status } = state;
    if (status !== tracker.status) {
      this.add({ t: 'status', printerId, at, from: tracker.status, to: status });
      if (status === 'error') this.failures(printerId, tracker, state, at, true);
    }
    this.failures(printerId, tracker, state, at, false);
    this.trackJob(printerId, tracker, state, now);
    tracker.status = status;
  }

  commandOutcome(printerId: string, commandId: string, action: string, status: string, resultCode?: string): void {
    const at = new Date().toISOString();
    this.add({ t: 'command', printerId, at, commandId, action, status, ...(resultCode ? { resultCode } : {}) });
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  private trackJob(printerId: string, tracker: Tracker, state: PrinterTelemetry, now: number): void {
    if (state.status === 'offline') return; // out of sight is not the end of a print
    let job = tracker.job;
    if (job && ACTIVE.has(state.status) && state.currentJobId && job.jobId && state.currentJobId !== job.jobId) {
      this.endJob(printerId, tracker, 'replaced', now);
      job = undefined;
    }
    if (!job && ACTIVE.has(state.status)) {
      job = { jobId: state.currentJobId, startedAt: now, pausedMs: 0 };
      tracker.job = job;
      const at = new Date(now).toISOString();
      this.add({ t: 'job-start', printerId, at, ...(job.jobId ? { jobId: job.jobId } : {}) });
    }
    if (!job) return;
    job.jobId ??= state.currentJobId;
    if (state.status === 'paused') job.pausedSince ??= now;
    else if (job.pausedSince !== undefined) {
      job.pausedMs += now - job.pausedSince;
      job.pausedSince = undefined;
    }
    if (job.estimatedSeconds === undefined && state.status === 'printing' && state.remainingSeconds !== undefined) {
      job.estimatedSeconds = Math.round((now - job.startedAt - job.pausedMs) / 1000 + state.remainingSeconds);
    }
    if (state.status === 'finished') this.endJob(printerId, tracker, 'finished', now);
    else if (state.status === 'error') this.endJob(printerId, tracker, 'error', now);
    else if (state.status === 'idle') this.endJob(printerId, tracker, 'cancelled', now);
  }

  private endJob(printerId: string, tracker: Tracker, end: JobEnd, now: number): void {
    const job = tracker.job;
    if (!job) return;
    tracker.job = undefined;
    const pausedMs = job.pausedMs + (job.pausedSince !== undefined ? now - job.pausedSince : 0);
    this.add({
      t: 'job',
      printerId,
      ...(job.jobId ? { jobId: job.jobId } : {}),
      startedAt: new Date(job.startedAt).toISOString(),
      endedAt: new Date(now).toISOString(),
      end,
      ...(job.estimatedSeconds !== undefined ? { estimatedSeconds: job.estimatedSeconds } : {}),
      actualSeconds: Math.round((now - job.startedAt) / 100) / 10,
      pausedSeconds: Math.round(pausedMs / 100) / 10,
    });
  }

  /** A failure event for each device error that was not there before (and for entering `error`). */
  private failures(printerId: string, tracker: Tracker, state: PrinterTelemetry, at: string, entering: boolean): void {
    const errors = state.errors ?? [];
    if (entering && errors.length === 0) {
      this.add({ t: 'failure', printerId, at, code: 'error', message: state.lastError ?? 'the printer reports an error' });
    }
    const current = new Set(errors.map((e) => e.code));
    for (const e of errors)
      if (!tracker.errors.has(e.code)) this.add({ t: 'failure', printerId, at, code: e.code, message: e.message });
    tracker.errors = current;
  }

  private tracker(printerId: string): Tracker {
    let tracker = this.trackers.get(printerId);
    if (!tracker) {
      tracker = { status: null, errors: new Set() };
      this.trackers.set(printerId, tracker);
    }
    return tracker;
  }

  private add(event: HistoryEvent): void {
    this.events.push(event);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    // Analytics, not the command path: a lost tail after a crash costs a few events, never a print.
    this.journal.append(event).catch(() => undefined);
  }

  /** Rebuild trackers from the file so a job that spans a restart still ends up as one record. */
  private replay(e: HistoryEvent): void {
    this.events.push(e);
    const tracker = this.tracker(e.printerId);
    if (e.t === 'status') tracker.status = e.to;
    else if (e.t === 'job-start') tracker.job = { jobId: e.jobId, startedAt: Date.parse(e.at), pausedMs: 0 };
    else if (e.t === 'job') tracker.job = undefined;
  }
}
