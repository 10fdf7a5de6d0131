/**
 * Auto-queue (opt-in per printer: `printer.autoQueue`). For each printer of this bridge that has
 * it on:
 *
 *   device reports `finished` → the printer document stays `finished` ("clear the bed") even if
 *   the device goes idle on its own → released by a `mark_bed_cleared` command, or by someone
 *   setting the printer document from `finished` to `idle` → the bridge asks the server for the
 *   next job (`GET /api/printers/:id/next-job`, the guardrail at scheduling time), writes
 *   `holdReason` on the jobs it skipped, checks the chosen job again here with shared's
 *   `checkCompatibility` (revision metadata, print profile, the printer document and its loaded
 *   spools as they are now), downloads the file (sha256 checked), claims the job (`queued` →
 *   `scheduled` on this printer, a compare-and-set), records the dispatch durably, and only then
 *   sends it (`uploadAndStart('<jobId>.gcode')`) → job `printing` → `done` / `failed` /
 *   `cancelled` when the device (whose `currentJobId` is the job id) ends it.
 *
 * An incompatible job is never sent. Without the server nothing is dispatched (no guessing from
 * old data); job writes that could not be delivered are kept in `<dataDir>/auto-queue.json` and
 * retried. A dispatch the bridge may have died in the middle of is never sent again: it is
 * resolved from what the device reports, else the job goes back to the queue with a hold reason.
 */
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { checkCompatibility, type CompatibilityReason, type PrinterForCompatibility } from '@fleetsync/shared/farm';
import type { DeviceAdapter } from '../adapters/deviceAdapter.js';
import type { PrinterStatus, PrinterTelemetry } from '../adapters/sharedDevices.js';
import type { PrintFileMetadata } from '../metadata/sharedMetadata.js';
import type { AutoQueueLink, JobDoc } from './autoQueueLink.js';
import type { BridgeLogger } from './config.js';
import { syncFolder } from './journal.js';

export const AUTO_QUEUE_FILE = 'auto-queue.json';
const HOLD_REASON_MAX = 300;
const RUNNING: ReadonlySet<PrinterStatus> = new Set(['heating', 'printing', 'paused']);

/** What the auto-queue remembers about a printer's bed. */
interface BedMemo {
  /** The device finished this print (its job name, '' when unnamed) and nobody has cleared the bed yet. */
  waiting?: { job: string; since: string };
  /** The finished print whose bed was cleared: a device still reporting it finished reads idle. */
  cleared?: string;
}

type JobTarget =
  | { status: 'printing' }
  | { status: 'done'; actualSeconds?: number }
  | { status: 'failed'; failureReason: string; actualSeconds?: number }
  | { status: 'cancelled' }
  | { status: 'queued'; holdReason: string };

interface Dispatch {
  jobId: string;
  printerId: string;
  /**
   * sending: the device is being told (or the bridge died while telling it);
   * unconfirmed: it may or may not have started, the device's reports decide;
   * sent: the device took it; ended: only the job write below is left.
   */
  phase: 'sending' | 'unconfirmed' | 'sent' | 'ended';
  /** When the phase began (ISO). */
  since: string;
  /** When the device took the file (ISO). */
  startedAt?: string;
  /** The device has reported this job heating, printing or paused. */
  seenRunning?: boolean;
  /** The job had no printer before it was claimed (it goes back to "any printer" if requeued). */
  anyPrinter?: boolean;
  /** The job document state still to deliver to the server. */
  write?: JobTarget;
}

interface SavedState {
  version: 1;
  printers: Record<string, BedMemo>;
  dispatches: Dispatch[];
}

export interface AutoQueueOptions {
  dataDir: string;
  link: AutoQueueLink;
  devices: {
    get(printerId: string): DeviceAdapter | undefined;
    online(printerId: string): boolean;
  };
  /** The printer document as the bridge's replica has it. */
  printerDoc(printerId: string): Promise<Record<string, unknown> | undefined>;
  /** The printers assigned to this bridge now. */
  printerIds(): string[];
  /** Run the device's current telemetry through present() and on to the printer document again. */
  republish(printerId: string): void;
  logger: BridgeLogger;
  /** How often idle auto-queue printers ask for work, and undelivered job writes are retried. */
  pollMs: number;
  uploadTimeoutMs?: number;
  /** A device that took a file but has not started it after this long: the job failed. */
  startGraceMs?: number;
  /** A dispatch whose outcome is unknown (upload timed out, or the bridge died while sending) is given up after this long. */
  unconfirmedMs?: number;
}

export interface AutoQueueStats {
  dispatched: number;
  refusedByGuardrail: number;
  holdsWritten: number;
  jobWrites: number;
}

const iso = (ms = Date.now()) => new Date(ms).toISOString();

export class AutoQueue {
  private readonly file: string;
  private readonly beds = new Map<string, BedMemo>();
  private dispatches: Dispatch[] = [];
  private readonly autoQueueOn = new Map<string, boolean>();
  private readonly docStatus = new Map<string, unknown>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly flushing = new Map<string, Promise<void>>();
  /** Hold reasons this bridge wrote, by `jobId|printerId`: each is written once, not at every poll. */
  private readonly holds = new Map<string, string>();
  private readonly backoff = new Map<string, { until: number; ms: number }>();
  private saving: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Stopped and saved for the last time: nothing more is written. */
  private closed = false;
  private serverAway = false;
  readonly stats: AutoQueueStats = { dispatched: 0, refusedByGuardrail: 0, holdsWritten: 0, jobWrites: 0 };

  private constructor(private readonly opts: AutoQueueOptions) {
    this.file = path.join(opts.dataDir, AUTO_QUEUE_FILE);
  }

  static async open(opts: AutoQueueOptions): Promise<AutoQueue> {
    const q = new AutoQueue(opts);
    try {
      const saved = JSON.parse(await readFile(q.file, 'utf8')) as Partial<SavedState>;
      for (const [id, memo] of Object.entries(saved.printers ?? {})) q.beds.set(id, memo);
      q.dispatches = Array.isArray(saved.dispatches) ? saved.dispatches : [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        opts.logger.warn('auto-queue state unreadable; starting without it', { error: String(error) });
    }
    // The bridge stopped while telling a device: whether it started is for the device to say.
    let interrupted = 0;
    for (const d of q.dispatches)
      if (d.phase === 'sending') {
        d.phase = 'unconfirmed';
        d.since = iso();
        interrupted += 1;
      }
    if (interrupted > 0) {
      opts.logger.warn('dispatches interrupted by a stop; they are not sent again', { count: interrupted });
      await q.save();
    }
    return q;
  }

  start(): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.pollMs);
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.busy.values(), ...this.flushing.values()]);
    await this.save();
    this.closed = true;
  }

  /**
   * Device telemetry on its way to the printer document: follows the bed and the jobs this bridge
   * sent, and returns what the document should show (a printer waiting for its bed reads `finished`).
   */
  present(printerId: string, t: PrinterTelemetry): PrinterTelemetry {
    // Out of sight changes nothing (and after stop() nothing more is followed).
    if (t.status === 'offline' || this.closed) return t;
    const bed = this.bed(printerId);
    const name = t.currentJobId ?? '';
    let changed = false;
    if (RUNNING.has(t.status)) {
      if (bed.waiting || bed.cleared !== undefined) {
        delete bed.waiting;
        delete bed.cleared;
        changed = true;
      }
    } else if (t.status === 'finished' && !bed.waiting && bed.cleared !== name) {
      bed.waiting = { job: name, since: iso() };
      changed = true;
      this.opts.logger.info('print finished; waiting for the bed to be cleared', { printerId, job: name });
    }
    if (this.follow(printerId, t)) changed = true;
    if (changed) void this.save();
    if (!this.autoQueueOn.get(printerId)) return t;
    if (bed.waiting && (t.status === 'idle' || t.status === 'finished')) return { ...t, status: 'finished' };
    if (!bed.waiting && t.status === 'finished' && bed.cleared === name) return { ...t, status: 'idle' };
    return t;
  }

  /** A printer command was run on the device by this bridge. */
  commandExecuted(printerId: string, action: string, ok: boolean): void {
    if (action !== 'mark_bed_cleared' || !ok) return;
    const raw = this.opts.devices.get(printerId)?.telemetry;
    const bed = this.bed(printerId);
    if (!bed.waiting && raw?.status !== 'finished') return;
    this.release(printerId, bed.waiting?.job ?? raw?.currentJobId ?? '', 'mark_bed_cleared');
  }

  /** The printer document arrived or changed in the replica (call before the telemetry writer sees it). */
  printerDocChanged(printerId: string, doc: Record<string, unknown>): void {
    const before = this.docStatus.get(printerId);
    this.docStatus.set(printerId, doc.status);
    const on = doc.autoQueue === true;
    const was = this.autoQueueOn.get(printerId);
    this.autoQueueOn.set(printerId, on);
    const bed = this.bed(printerId);
    // This bridge never shows a waiting auto-queue printer as idle: someone else wrote it.
    if (on && was === true && bed.waiting && before === 'finished' && doc.status === 'idle') {
      this.release(printerId, bed.waiting.job, 'printer document set to idle');
      return;
    }
    if (was !== on && (was !== undefined || on)) {
      this.opts.republish(printerId);
      if (on) this.kick(printerId);
    }
  }

  private release(printerId: string, job: string, by: string): void {
    const bed = this.bed(printerId);
    delete bed.waiting;
    bed.cleared = job;
    void this.save();
    this.opts.logger.info('bed cleared', { printerId, by });
    this.opts.republish(printerId);
    this.kick(printerId);
  }

  private bed(printerId: string): BedMemo {
    let bed = this.beds.get(printerId);
    if (!bed) {
      bed = {};
      this.beds.set(printerId, bed);
    }
    return bed;
  }

  private active(printerId: string): Dispatch | undefined {
    return this.dispatches.find((d) => d.printerId === printerId && d.phase !== 'ended');
  }

  /** Follow the job this bridge sent to the printer through the device's reports. True when something changed. */
  private follow(printerId: string, t: PrinterTelemetry): boolean {
    const d = this.active(printerId);
    if (!d) return false;
    const mine = t.currentJobId === d.jobId;
    if (mine && RUNNING.has(t.status)) {
      if (d.seenRunning && d.phase === 'sent') return false;
      d.seenRunning = true;
      if (d.phase !== 'sent') {
        this.opts.logger.info('the printer confirms it started the job', { printerId, jobId: d.jobId });
        d.phase = 'sent';
        d.since = iso();
        d.startedAt ??= iso();
        d.write = { status: 'printing' };
        void this.flush(d);
      }
      return true;
    }
    // While the file is on its way, and until the device reports this job, what it says is about before.
    if (d.phase === 'sending' || (!mine && !d.seenRunning)) return false;
    const actual =
      d.startedAt !== undefined ? { actualSeconds: Math.max(0, Math.round((Date.now() - Date.parse(d.startedAt)) / 1000)) } : {};
    if (t.status === 'finished' && (mine || !t.currentJobId)) this.end(d, { status: 'done', ...actual });
    else if (t.status === 'error')
      this.end(d, {
        status: 'failed',
        failureReason: (t.errors?.[0]?.message ?? t.lastError ?? 'the printer reported an error').slice(0, 500),
        ...actual,
      });
    else if (d.seenRunning && (t.status === 'idle' || (t.currentJobId && !mine))) this.end(d, { status: 'cancelled' });
    else return false;
    return true;
  }

  private end(d: Dispatch, target: JobTarget): void {
    d.phase = 'ended';
    d.since = iso();
    d.write = target;
    this.opts.logger.info('job ended on the printer', { printerId: d.printerId, jobId: d.jobId, status: target.status });
    void this.save().then(() => this.flush(d));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const d of this.dispatches) {
      const age = now - Date.parse(d.since);
      if (d.phase === 'unconfirmed' && age > (this.opts.unconfirmedMs ?? 60_000)) {
        this.delay(d.printerId);
        this.end(d, {
          status: 'queued',
          holdReason: 'Back in the queue: the printer did not confirm that it started this job, so it was not sent again.',
        });
      } else if (d.phase === 'sent' && !d.seenRunning && age > (this.opts.startGraceMs ?? 5 * 60_000)) {
        this.end(d, { status: 'failed', failureReason: 'the printer took the file but did not start printing it' });
      } else if (d.write) void this.flush(d);
    }
    for (const id of this.opts.printerIds()) this.kick(id);
  }

  /** Look for work for one printer (one look at a time per printer). */
  private kick(printerId: string): void {
    if (this.stopped || this.busy.has(printerId)) return;
    const work = this.consider(printerId)
      .catch((error: unknown) => this.opts.logger.warn('auto-queue failed', { printerId, error: String(error) }))
      .finally(() => this.busy.delete(printerId));
    this.busy.set(printerId, work);
  }

  /** The printer document when the printer can take a job now, else undefined. */
  private async readyDoc(printerId: string): Promise<Record<string, unknown> | undefined> {
    if (this.stopped || this.active(printerId) || !this.opts.printerIds().includes(printerId)) return undefined;
    const adapter = this.opts.devices.get(printerId);
    if (!adapter?.uploadAndStart || !this.opts.devices.online(printerId)) return undefined;
    const bed = this.bed(printerId);
    const raw = adapter.telemetry;
    const clear = raw.status === 'idle' || (raw.status === 'finished' && bed.cleared === (raw.currentJobId ?? ''));
    if (bed.waiting || !clear) return undefined;
    const doc = await this.opts.printerDoc(printerId);
    return doc?.autoQueue === true ? doc : undefined;
  }

  private async consider(printerId: string): Promise<void> {
    const pause = this.backoff.get(printerId);
    if (pause && pause.until > Date.now()) return;
    if (!(await this.readyDoc(printerId))) return;
    const next = await this.opts.link.nextJob(printerId);
    if (!next.ok) {
      if (!this.serverAway)
        this.opts.logger.warn('auto-queue: no answer from the server; nothing is dispatched', { reason: next.reason });
      this.serverAway = true;
      return;
    }
    this.serverAway = false;
    const doc = await this.readyDoc(printerId);
    if (!doc) return;
    const name = String(doc.name ?? printerId);
    for (const s of next.value.skipped) await this.hold(s.jobId, printerId, refusal(name, s.reasons));
    if (next.value.job) await this.dispatch(printerId, doc, next.value.job);
  }

  private async dispatch(printerId: string, doc: Record<string, unknown>, job: JobDoc): Promise<void> {
    const { link, logger } = this.opts;
    const name = String(doc.name ?? printerId);
    if (typeof job.modelId !== 'string' || typeof job.modelRevision !== 'number') {
      this.delay(printerId);
      return this.hold(job.id, printerId, `Not sent to ${name}: the job names no model file, so there is nothing to print.`);
    }
    const revision = await link.revision(job.modelId, job.modelRevision);
    if (!revision.ok) return;
    if (!revision.value) {
      this.delay(printerId);
      return this.hold(
        job.id,
        printerId,
        `Not sent to ${name}: revision ${job.modelRevision} of its model is not on the server.`,
      );
    }
    // The guardrail again, just before sending, with what this bridge sees now.
    const requirements = await this.requirements(job, revision.value.metadata);
    if (!requirements) return;
    const loaded = await link.loadedMaterials(doc);
    if (!loaded.ok) return;
    const verdict = checkCompatibility(printerForCompatibility(doc), requirements, loaded.value);
    if (!verdict.ok) {
      this.stats.refusedByGuardrail += 1;
      const reason = refusal(name, verdict.reasons);
      if (this.holds.get(`${job.id}|${printerId}`) !== reason)
        logger.warn('guardrail refused a job just before sending', {
          printerId,
          jobId: job.id,
          reasons: verdict.reasons.map((r) => r.code),
        });
      return this.hold(job.id, printerId, reason);
    }
    const file = await link.download(job.modelId, job.modelRevision, revision.value.sha256);
    if (!file.ok) {
      logger.warn('the job file could not be downloaded', { jobId: job.id, reason: file.reason });
      if (file.status !== undefined) {
        this.delay(printerId);
        await this.hold(job.id, printerId, `Not sent to ${name}: its file could not be fetched (${file.reason}).`);
      }
      return;
    }

    // Claim it: queued → scheduled on this printer, unless someone changed it meanwhile.
    let anyPrinter = false;
    const claim = await link.updateJob(job.id, (current) => {
      if (current.status !== 'queued' || (current.printerId !== undefined && current.printerId !== printerId)) return null;
      anyPrinter = current.printerId === undefined;
      const next: JobDoc = { ...current, status: 'scheduled', printerId };
      delete next.holdReason;
      return next;
    });
    if (claim.kind !== 'written') return;
    this.stats.jobWrites += 1;
    this.holds.delete(`${job.id}|${printerId}`);
    const d: Dispatch = { jobId: job.id, printerId, phase: 'sending', since: iso(), ...(anyPrinter ? { anyPrinter } : {}) };
    // The bed, the device or the switch may have changed during the downloads.
    const stillReady = await this.readyDoc(printerId);
    const adapter = this.opts.devices.get(printerId);
    this.dispatches.push(d);
    if (!stillReady || !adapter?.uploadAndStart) {
      this.end(d, { status: 'queued', holdReason: `Back in the queue: ${name} stopped being ready just before it was sent.` });
      return;
    }
    await this.save(); // durable before anything reaches the device
    logger.info('sending job to the printer', { printerId, jobId: job.id, bytes: file.value.byteLength });
    const outcome = await adapter.uploadAndStart(uploadName(job.id, revision.value.fileName), file.value, {
      timeoutMs: this.opts.uploadTimeoutMs ?? 120_000,
    });
    if (outcome.ok) {
      this.stats.dispatched += 1;
      this.backoff.delete(printerId);
      d.startedAt = iso();
      if (d.phase === 'sending') {
        d.phase = 'sent';
        d.since = d.startedAt;
        d.write = { status: 'printing' };
      }
      await this.save();
      await this.flush(d);
    } else if (outcome.code === 'timeout') {
      logger.warn('the printer did not answer the upload in time; its reports decide', { printerId, jobId: job.id });
      if (d.phase === 'sending') d.phase = 'unconfirmed';
      d.since = iso();
      await this.save();
    } else {
      logger.warn('the printer did not start the job', { printerId, jobId: job.id, code: outcome.code, reason: outcome.reason });
      this.delay(printerId);
      this.end(d, { status: 'queued', holdReason: clip(`Back in the queue: ${name} did not start it (${outcome.reason}).`) });
    }
  }

  /** What the job needs from a printer, as the server works it out: revision metadata, then its print profile and material. */
  private async requirements(job: JobDoc, metadata: PrintFileMetadata): Promise<PrintFileMetadata | undefined> {
    const req: PrintFileMetadata = { ...metadata };
    if (typeof job.profileId === 'string') {
      const profile = await this.opts.link.profile(job.profileId);
      if (!profile.ok) return undefined;
      const p = profile.value;
      if (p) {
        if (!req.printerModel && !req.printerModelId && typeof p.printerModel === 'string' && p.printerModel)
          req.printerModel = p.printerModel;
        if (!req.nozzleDiameterMm?.length && typeof p.nozzleDiameterMm === 'number') req.nozzleDiameterMm = [p.nozzleDiameterMm];
        if (!req.filamentTypes?.length && typeof p.material === 'string' && p.material) req.filamentTypes = [p.material];
      }
    }
    if (!req.filamentTypes?.length && typeof job.material === 'string') req.filamentTypes = [job.material];
    return req;
  }

  /** Write why a job is held back from this printer (once per job, printer and reason). */
  private async hold(jobId: string, printerId: string, reason: string): Promise<void> {
    const text = clip(reason);
    const key = `${jobId}|${printerId}`;
    if (this.holds.get(key) === text) return;
    const r = await this.opts.link.updateJob(jobId, (current) =>
      current.status === 'queued' && current.holdReason !== text ? { ...current, holdReason: text } : null,
    );
    if (r.kind === 'written') {
      this.stats.holdsWritten += 1;
      this.opts.logger.info('job held', { jobId, printerId, holdReason: text });
    }
    if (r.kind === 'written' || r.kind === 'unchanged') this.holds.set(key, text);
  }

  /** After a failed attempt, this printer asks again later (doubling up to 5 minutes). */
  private delay(printerId: string): void {
    const ms = Math.min(5 * 60_000, Math.max(this.opts.pollMs * 3, (this.backoff.get(printerId)?.ms ?? 0) * 2));
    this.backoff.set(printerId, { until: Date.now() + ms, ms });
  }

  /** Deliver a dispatch's job write; keep it for later while the server cannot be reached. */
  private flush(d: Dispatch): Promise<void> {
    if (this.stopped) return Promise.resolve(); // kept in the file: delivered after the next start
    const running = this.flushing.get(d.jobId);
    if (running) return running;
    const work = this.deliver(d)
      .catch((error: unknown) => this.opts.logger.warn('job write failed', { jobId: d.jobId, error: String(error) }))
      .finally(() => this.flushing.delete(d.jobId));
    this.flushing.set(d.jobId, work);
    return work;
  }

  private async deliver(d: Dispatch): Promise<void> {
    // A final status may need `printing` first (scheduled → printing → done).
    for (let step = 0; step < 3 && d.write; step++) {
      const target = d.write;
      const r = await this.opts.link.updateJob(d.jobId, (current) => nextJobState(current, d, target));
      if (r.kind === 'unreachable') return;
      if (r.kind === 'written') this.stats.jobWrites += 1;
      if (r.kind === 'written' && r.doc.status !== target.status) continue;
      if (r.kind === 'refused' || r.kind === 'gone')
        this.opts.logger.warn('job write not accepted; dropped', { jobId: d.jobId, status: target.status, outcome: r.kind });
      if (d.write === target) delete d.write;
    }
    if (d.phase === 'ended' && !d.write) this.dispatches = this.dispatches.filter((x) => x !== d);
    await this.save();
  }

  private save(): Promise<void> {
    if (this.closed) return this.saving;
    const state: SavedState = {
      version: 1,
      printers: Object.fromEntries([...this.beds].filter(([, b]) => b.waiting || b.cleared !== undefined)),
      dispatches: this.dispatches,
    };
    const text = JSON.stringify(state);
    const next = this.saving
      .then(() => writeAtomically(this.file, text))
      .catch((error: unknown) => this.opts.logger.warn('auto-queue state not saved', { error: String(error) }));
    this.saving = next;
    return next;
  }
}

/** The job document after one step towards `target`, or null when there is nothing (more) to write. */
function nextJobState(current: JobDoc, d: Dispatch, target: JobTarget): JobDoc | null {
  if (current.printerId !== d.printerId) return null; // reassigned meanwhile: not ours any more
  const s = current.status;
  const printing = (): JobDoc => {
    const next: JobDoc = { ...current, status: 'printing' };
    delete next.holdReason;
    return next;
  };
  switch (target.status) {
    case 'printing':
      return s === 'queued' || s === 'scheduled' ? printing() : null;
    case 'done':
    case 'failed': {
      if (s === 'queued' || s === 'scheduled') return printing();
      if (s !== 'printing' && s !== 'paused') return null;
      const next: JobDoc = { ...current, status: target.status };
      if (target.actualSeconds !== undefined) next.actualSeconds = target.actualSeconds;
      if (target.status === 'failed') next.failureReason = target.failureReason;
      return next;
    }
    case 'cancelled':
      return s === 'scheduled' || s === 'printing' || s === 'paused' ? { ...current, status: 'cancelled' } : null;
    case 'queued': {
      if (s !== 'scheduled') return null;
      const next: JobDoc = { ...current, status: 'queued', holdReason: target.holdReason };
      if (d.anyPrinter) delete next.printerId;
      return next;
    }
  }
}

export function printerForCompatibility(doc: Record<string, unknown>): PrinterForCompatibility {
  return {
    model: typeof doc.model === 'string' ? doc.model : '',
    nozzleDiameter: Number(doc.nozzleDiameter),
    bedWidthMm: Number(doc.bedWidthMm),
    bedDepthMm: Number(doc.bedDepthMm),
    ...(typeof doc.loadedMaterial === 'string' ? { loadedMaterial: doc.loadedMaterial } : {}),
  };
}

/** The hold reason for a guardrail refusal. */
export function refusal(printerName: string, reasons: readonly CompatibilityReason[]): string {
  const why = reasons.map((r) => r.message).join('; ') || 'not compatible';
  return clip(`Not compatible with ${printerName}: ${why}`);
}

function clip(text: string): string {
  return text.length <= HOLD_REASON_MAX ? text : `${text.slice(0, HOLD_REASON_MAX - 1)}…`;
}

/** `<jobId>.gcode` (or `.gcode.3mf` / `.3mf`): the device then reports the job id as its current job. */
export function uploadName(jobId: string, fileName: string): string {
  if (/\.gcode\.3mf$/i.test(fileName)) return `${jobId}.gcode.3mf`;
  if (/\.3mf$/i.test(fileName)) return `${jobId}.3mf`;
  return `${jobId}.gcode`;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(path.dirname(file));
}
