/**
 * Timing and memory sampling for one benchmark scenario. Memory is the whole process
 * (the sync server runs in the same process), sampled every 50 ms; the largest gap between
 * two samples shows how long the event loop was blocked.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;
const SAMPLE_MS = 50;

export interface MemoryPeak {
  startRssMb: number;
  peakRssMb: number;
  startHeapUsedMb: number;
  peakHeapUsedMb: number;
  /** Longest interval between two samples: a proxy for event-loop stalls. */
  maxSampleGapMs: number;
}

export interface Measured<T> {
  ms: number;
  memory: MemoryPeak;
  value: T;
}

let gcFn: (() => void) | null | undefined;
/** Collects garbage before a scenario so heap figures start from the same floor. */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function startSampler(): () => MemoryPeak {
  const first = process.memoryUsage();
  let peakRss = first.rss;
  let peakHeap = first.heapUsed;
  let last = performance.now();
  let maxGap = 0;
  const sample = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    sample();
    return {
      startRssMb: round(first.rss / MB),
      peakRssMb: round(peakRss / MB),
      startHeapUsedMb: round(first.heapUsed / MB),
      peakHeapUsedMb: round(peakHeap / MB),
      maxSampleGapMs: Math.round(maxGap),
    };
  };
}

/** Runs `fn` once, timing it and sampling memory while it runs. */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  collectGarbage();
  const stop = startSampler();
  const t0 = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - t0;
    return { ms, memory: stop(), value };
  } catch (err) {
    stop();
    throw err;
  }
}

/** Times a step without memory sampling (setup work such as seeding). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Polls until `check` passes; throws after `timeoutMs` so every wait is bounded. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, label: string, everyMs = 50): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > until) throw new Error(`timed out after ${Math.round(timeoutMs)} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Rejects if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not finish within ${Math.round(timeoutMs)} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
