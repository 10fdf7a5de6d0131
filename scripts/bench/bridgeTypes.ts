/** Bridge scenario specs, result shapes and percentile helper, shared by the bridge bench files. */
import type { BridgeWindow, Warnings } from './bridgeChild.js';
import type { ProcessWindow } from './processMeter.js';

export const REPORT_MS = 1000;
export const WARM_UP_MS = 3_000;

export interface BridgeScenarioSpec {
  name: string;
  source: 'synthetic' | 'moonraker';
  printers: number;
  windowMs: number;
  baseline: boolean;
}

export const BRIDGE_BASELINE = 'bridge 100 printers @1 Hz (synthetic)';
export const BRIDGE_SCENARIOS: BridgeScenarioSpec[] = [
  { name: BRIDGE_BASELINE, source: 'synthetic', printers: 100, windowMs: 20_000, baseline: true },
  { name: 'bridge 500 printers @1 Hz (synthetic)', source: 'synthetic', printers: 500, windowMs: 20_000, baseline: false },
  { name: 'bridge 1000 printers @1 Hz (synthetic)', source: 'synthetic', printers: 1000, windowMs: 15_000, baseline: false },
  { name: 'bridge 100 printers @1 Hz (Moonraker sims)', source: 'moonraker', printers: 100, windowMs: 15_000, baseline: false },
];

export interface Percentiles {
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface BridgeResult {
  name: string;
  source: string;
  printers: number;
  baseline: boolean;
  windowS: number;
  /** Device reports per second during the window (ideal: printers × 1). */
  deviceReportsPerSec: number;
  /** Ideal printer-document writes per second: one per printer per second. */
  idealWritesPerSec: number;
  serverWritesPerSec: number;
  /** Lowest and highest one-second count of server writes in the window. */
  serverWritesPerSecMin: number;
  serverWritesPerSecMax: number;
  writesVsIdeal: number;
  /** Printers whose document was written at least once in the window. */
  printersWritten: number;
  /** Printer changes that reached the subscribed client, per second. */
  clientUpdatesPerSec: number;
  /** Device report → client change event. */
  latencyMs: Percentiles;
  /** Device report → the bridge's write of the document into its replica (coalescing wait, store append). */
  reportToWriteMs: Percentiles;
  /** The bridge's replica write → client change event (push, server, live stream, client replica). */
  writeToClientMs: Percentiles;
  /** Moonraker only: adapter emission (`lastSeenAt`) → client, i.e. without the device → adapter hop. */
  adapterToClientMs?: Percentiles;
  bridge: ProcessWindow & {
    /** Bridge CPU ms per printer per second of window. */
    cpuMsPerPrinterSec: number;
    startMs: number;
    /** From bridge start until every printer had reached the client. */
    allPrintersMs: number;
    stopMs: number;
    counters: BridgeWindow['counters'];
    pushes: BridgeWindow['pushes'];
  };
  /** This process: the sync server, the subscribed client replica and the bench driver. */
  serverProcess: ProcessWindow;
  deviceHost?: ProcessWindow;
  /** Runtime warnings over the whole scenario (start to stop). */
  warnings: Warnings;
  error?: string;
}

export function percentiles(values: number[]): Percentiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]! : 0);
  return { samples: v.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v.at(-1) ?? 0 };
}
