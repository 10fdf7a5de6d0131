/**
 * The printer behind every simulator: one state machine, rendered by each protocol simulator
 * in its own vocabulary. idle → heating (temperatures ramp) → printing (progress, layers) →
 * finished; paused; cancelled; failed with an error code. `timeScale` runs simulated time faster
 * (60 = a 60 s print in 1 s).
 */
import { EventEmitter } from 'node:events';

export type SimPhase = 'idle' | 'heating' | 'printing' | 'paused' | 'finished' | 'cancelled' | 'failed';

export interface SimJob {
  /** Increases with every job the printer starts. */
  id: number;
  fileName: string;
  durationS: number;
  totalLayers: number;
  elapsedS: number;
  nozzleTarget: number;
  bedTarget: number;
}

export interface SimFault {
  /** Protocol-neutral code, e.g. `HMS_0300_0100_0001_0007` or `thermal_runaway`. */
  code: string;
  message: string;
  /** Bambu: the HMS entry and print_error the printer reports. */
  hms?: { attr: number; code: number };
  printError?: number;
}

export interface SimSnapshot {
  phase: SimPhase;
  nozzle: { temp: number; target: number };
  bed: { temp: number; target: number };
  job?: SimJob;
  /** 0..100 */
  progress: number;
  layer: number;
  remainingS: number;
  fault?: SimFault;
}

export type SimResult = { ok: true } | { ok: false; reason: string };

export interface SimulatedPrinterOptions {
  timeScale?: number;
  tickMs?: number;
  ambientC?: number;
}

const NOZZLE_RATE_C_PER_S = 5;
const BED_RATE_C_PER_S = 2;
const ok: SimResult = { ok: true };
const refuse = (reason: string): SimResult => ({ ok: false, reason });

export class SimulatedPrinter extends EventEmitter<{ change: [SimSnapshot] }> {
  readonly timeScale: number;
  private readonly tickMs: number;
  private readonly ambient: number;
  private phase: SimPhase = 'idle';
  private nozzle = { temp: 0, target: 0 };
  private bed = { temp: 0, target: 0 };
  private job: SimJob | undefined;
  private fault: SimFault | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private jobCount = 0;

  constructor(options: SimulatedPrinterOptions = {}) {
    super();
    this.timeScale = options.timeScale ?? 1;
    this.tickMs = options.tickMs ?? 50;
    this.ambient = options.ambientC ?? 25;
    this.reset();
  }

  /** Start the clock (the simulator's transport does this when it starts). */
  run(): void {
    if (this.timer) return;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Back to a cold idle printer with no job and no fault. */
  reset(): void {
    this.phase = 'idle';
    this.nozzle = { temp: this.ambient, target: 0 };
    this.bed = { temp: this.ambient, target: 0 };
    this.job = undefined;
    this.fault = undefined;
    this.changed();
  }

  snapshot(): SimSnapshot {
    const job = this.job ? { ...this.job } : undefined;
    const fraction = job ? Math.min(1, job.elapsedS / job.durationS) : 0;
    return {
      phase: this.phase,
      nozzle: { ...this.nozzle },
      bed: { ...this.bed },
      job,
      progress: Math.floor(fraction * 100),
      layer: job ? Math.min(job.totalLayers, Math.ceil(fraction * job.totalLayers)) : 0,
      remainingS: job ? Math.max(0, Math.round(job.durationS - job.elapsedS)) : 0,
      fault: this.fault ? { ...this.fault } : undefined,
    };
  }

  startJob(
    fileName: string,
    options: { durationS?: number; totalLayers?: number; nozzle?: number; bed?: number } = {},
  ): SimResult {
    if (this.phase === 'heating' || this.phase === 'printing' || this.phase === 'paused') {
      return refuse('a print is already in progress');
    }
    if (this.phase === 'failed') return refuse(`the printer has an error: ${this.fault?.message ?? 'unknown'}`);
    this.fault = undefined;
    this.jobCount += 1;
    this.job = {
      id: this.jobCount,
      fileName,
      durationS: Math.max(1, options.durationS ?? 60),
      totalLayers: Math.max(1, options.totalLayers ?? 30),
      elapsedS: 0,
      nozzleTarget: options.nozzle ?? 215,
      bedTarget: options.bed ?? 60,
    };
    this.nozzle.target = this.job.nozzleTarget;
    this.bed.target = this.job.bedTarget;
    this.phase = 'heating';
    this.changed();
    return ok;
  }

  pause(): SimResult {
    if (this.phase === 'paused') return refuse('the print is already paused');
    if (this.phase !== 'printing' && this.phase !== 'heating') return refuse('no print is in progress');
    this.phase = 'paused';
    this.changed();
    return ok;
  }

  resume(): SimResult {
    if (this.phase !== 'paused') return refuse('the print is not paused');
    this.phase = this.job && this.job.elapsedS > 0 ? 'printing' : 'heating';
    this.changed();
    return ok;
  }

  cancel(): SimResult {
    if (this.phase !== 'printing' && this.phase !== 'heating' && this.phase !== 'paused')
      return refuse('no print is in progress');
    this.phase = 'cancelled';
    this.nozzle.target = 0;
    this.bed.target = 0;
    this.changed();
    return ok;
  }

  setTargets(targets: { nozzle?: number; bed?: number }): SimResult {
    if (this.phase === 'failed') return refuse('the printer has an error; clear it first');
    if (targets.nozzle !== undefined) this.nozzle.target = targets.nozzle;
    if (targets.bed !== undefined) this.bed.target = targets.bed;
    this.changed();
    return ok;
  }

  /** The print fails (or an idle printer reports a fault): heaters off, fault reported. */
  fail(fault: SimFault): void {
    this.phase = 'failed';
    this.fault = fault;
    this.nozzle.target = 0;
    this.bed.target = 0;
    this.changed();
  }

  private tick(): void {
    const now = performance.now();
    const dt = ((now - this.lastTick) / 1000) * this.timeScale;
    this.lastTick = now;
    const before = JSON.stringify(this.snapshot());
    this.nozzle.temp = approach(this.nozzle.temp, this.nozzle.target || this.ambient, NOZZLE_RATE_C_PER_S * dt);
    this.bed.temp = approach(this.bed.temp, this.bed.target || this.ambient, BED_RATE_C_PER_S * dt);
    const job = this.job;
    if (this.phase === 'heating' && job && reached(this.nozzle) && reached(this.bed)) this.phase = 'printing';
    else if (this.phase === 'printing' && job) {
      job.elapsedS = Math.min(job.durationS, job.elapsedS + dt);
      if (job.elapsedS >= job.durationS) {
        this.phase = 'finished';
        this.nozzle.target = 0;
        this.bed.target = 0;
      }
    }
    if (JSON.stringify(this.snapshot()) !== before) this.changed();
  }

  private changed(): void {
    this.emit('change', this.snapshot());
  }
}

function approach(value: number, goal: number, step: number): number {
  const next = value < goal ? Math.min(goal, value + step) : Math.max(goal, value - step);
  return Math.round(next * 10) / 10;
}

function reached(heater: { temp: number; target: number }): boolean {
  return heater.target === 0 || Math.abs(heater.temp - heater.target) < 1;
}
