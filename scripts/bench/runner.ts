/**
 * Runs scenario specs inside one time budget: each run gets at most its cap or what is left
 * of the budget; a failed or timed-out scenario becomes a row with its reason instead of
 * ending the benchmark; slow scenarios are not repeated.
 */
import { performance } from 'node:perf_hooks';
import type { MemoryPeak } from './measure.js';
import type { Measurement } from './syncBench.js';

export interface ScenarioSpec {
  /** Scenarios of one group are compared with the group's baseline. */
  group: string;
  name: string;
  baseline: boolean;
  docs: number;
  batchSize: number;
  /** Longest a single run may take. */
  capMs: number;
  /** Runs wanted (median kept); fewer when a run is slow or the budget runs out. */
  times?: number;
  run(timeoutMs: number): Promise<Measurement>;
}

export interface ScenarioResult {
  group: string;
  name: string;
  baseline: boolean;
  docs: number;
  batchSize: number;
  ms: number;
  docsPerSec: number;
  /** Highest peaks over all runs; null when no run completed. */
  memory: MemoryPeak | null;
  /** docs/s of every completed run (the row shows the median run). */
  runs: number[];
  detail?: Record<string, number>;
  /** Why the scenario has no figures (failure, timeout, budget exhausted). */
  error?: string;
}

/** A run slower than this is not repeated. */
const REPEAT_ONLY_UNDER_MS = 10_000;
/** Below this much budget a scenario is skipped rather than started. */
const MIN_USEFUL_MS = 5_000;

export class Budget {
  private readonly deadline: number;
  constructor(totalMs: number) {
    this.deadline = performance.now() + totalMs;
  }
  remainingMs(): number {
    return Math.max(0, this.deadline - performance.now());
  }
}

function combine(spec: ScenarioSpec, done: Measurement[]): ScenarioResult {
  const sorted = [...done].sort((a, b) => a.ms - b.ms);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const memory = { ...median.memory };
  for (const m of done) {
    memory.peakRssMb = Math.max(memory.peakRssMb, m.memory.peakRssMb);
    memory.peakHeapUsedMb = Math.max(memory.peakHeapUsedMb, m.memory.peakHeapUsedMb);
    memory.maxSampleGapMs = Math.max(memory.maxSampleGapMs, m.memory.maxSampleGapMs);
  }
  const rate = (m: Measurement) => Math.round((spec.docs * 1000) / m.ms);
  return {
    group: spec.group,
    name: spec.name,
    baseline: spec.baseline,
    docs: spec.docs,
    batchSize: spec.batchSize,
    ms: Math.round(median.ms),
    docsPerSec: rate(median),
    memory,
    runs: done.map(rate),
    ...(median.detail ? { detail: median.detail } : {}),
  };
}

export async function runSpec(spec: ScenarioSpec, budget: Budget): Promise<ScenarioResult> {
  const done: Measurement[] = [];
  let error: string | undefined;
  let elapsed = 0;
  for (let i = 0; i < (spec.times ?? 1); i++) {
    const timeoutMs = Math.min(spec.capMs, budget.remainingMs());
    if (timeoutMs < MIN_USEFUL_MS) {
      if (done.length === 0) error = 'skipped: the time budget of the run was used up';
      break;
    }
    const t0 = performance.now();
    try {
      done.push(await spec.run(timeoutMs));
    } catch (err) {
      elapsed = performance.now() - t0;
      error = `failed after ${(elapsed / 1000).toFixed(1)} s: ${err instanceof Error ? err.message : String(err)}`;
      break;
    }
    if (done.at(-1)!.ms > REPEAT_ONLY_UNDER_MS) break;
  }
  if (done.length > 0) return combine(spec, done);
  const { run: _run, capMs: _cap, times: _times, ...meta } = spec;
  return { ...meta, ms: Math.round(elapsed), docsPerSec: 0, memory: null, runs: [], error };
}
