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
  /** A part of this budget: at most `ms` from now, never past this budget's end. */
  slice(ms: number): Budget {
    return new Budget(Math.max(0, Math.min(ms, this.remainingMs())));
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

type Attempt = { ok: true; m: Measurement } | { ok: false; error: string; ms: number };

async function attempt(spec: ScenarioSpec, budget: Budget): Promise<Attempt> {
  const timeoutMs = Math.min(spec.capMs, budget.remainingMs());
  if (timeoutMs < MIN_USEFUL_MS) return { ok: false, error: 'skipped: the time budget of the run was used up', ms: 0 };
  const t0 = performance.now();
  try {
    return { ok: true, m: await spec.run(timeoutMs) };
  } catch (err) {
    const ms = performance.now() - t0;
    return {
      ok: false,
      error: `failed after ${(ms / 1000).toFixed(1)} s: ${err instanceof Error ? err.message : String(err)}`,
      ms,
    };
  }
}

function failed(spec: ScenarioSpec, error: string, ms: number): ScenarioResult {
  const { run: _run, capMs: _cap, times: _times, ...meta } = spec;
  return { ...meta, ms: Math.round(ms), docsPerSec: 0, memory: null, runs: [], error };
}

/** One run of a spec (warm-ups, single observations). */
export async function runOnce(spec: ScenarioSpec, budget: Budget): Promise<ScenarioResult> {
  const a = await attempt(spec, budget);
  return a.ok ? combine(spec, [a.m]) : failed(spec, a.error, a.ms);
}

/**
 * Every spec runs once first (so each gets a chance within the budget, reported through
 * `onFirst`); repeats follow while budget remains, for specs whose runs were fast.
 */
export async function runAll(
  specs: ScenarioSpec[],
  budget: Budget,
  onFirst: (r: ScenarioResult) => void,
): Promise<ScenarioResult[]> {
  const runs: Measurement[][] = specs.map(() => []);
  const results: ScenarioResult[] = [];
  for (const [i, spec] of specs.entries()) {
    const a = await attempt(spec, budget);
    if (a.ok) runs[i]!.push(a.m);
    results.push(a.ok ? combine(spec, runs[i]!) : failed(spec, a.error, a.ms));
    onFirst(results[i]!);
  }
  const rounds = Math.max(...specs.map((s) => s.times ?? 1));
  for (let round = 1; round < rounds; round++) {
    for (const [i, spec] of specs.entries()) {
      const done = runs[i]!;
      if (done.length !== round || round >= (spec.times ?? 1) || done.at(-1)!.ms > REPEAT_ONLY_UNDER_MS) continue;
      const a = await attempt(spec, budget);
      if (!a.ok) continue; // a failed repeat leaves the completed runs standing
      done.push(a.m);
      results[i] = combine(spec, done);
    }
  }
  return results;
}
