/**
 * Device-bridge scale scenarios: N printers assigned to one bridge, each device reporting at
 * 1 Hz, the bridge (unchanged `startBridge`) in a child process, a user's replica subscribed to
 * the org's printers in this process. Per scenario: create the org, N printer documents and a
 * bridge token; start the devices and the bridge; wait until every printer has reached the
 * client; warm up; then measure over a fixed window:
 *   - bridge process CPU (process.cpuUsage in the child, % of one core) and memory peaks;
 *   - server writes/s: advance of the server's change sequence (sync_counter, one number per
 *     stored row) read once a second on an owner connection; the bridge is the only writer then;
 *   - device report → client latency: the client's change event time minus the time the device
 *     reported (synthetic: `lastSeenAt`, stamped by the adapter core at emission and carried in
 *     the document; Moonraker: the send time of the report number carried in the temperature),
 *     split at the bridge's replica write (the field clock the bridge's replica stamps on
 *     `lastSeenAt` when the runtime writes the document: HLC wall time, same machine clock).
 */
import pg from 'pg';
import type { RunningServer } from '@fleetsync/sync-server';
import { Scenario } from './bridgeScenario.js';
import { BRIDGE_SCENARIOS, WARM_UP_MS, type BridgeResult, type BridgeScenarioSpec, type Percentiles } from './bridgeTypes.js';
import type { BenchDatabase } from './pg.js';
import type { ProcessWindow } from './processMeter.js';
import type { Budget } from './runner.js';

export {
  BRIDGE_BASELINE,
  BRIDGE_SCENARIOS,
  percentiles,
  REPORT_MS,
  type BridgeResult,
  type BridgeScenarioSpec,
  type Percentiles,
} from './bridgeTypes.js';

function failed(spec: BridgeScenarioSpec, error: string): BridgeResult {
  const zero: Percentiles = { samples: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const noWindow: ProcessWindow = {
    wallMs: 0,
    cpuMs: 0,
    cpuPctOfCore: 0,
    elu: 0,
    startRssMb: 0,
    peakRssMb: 0,
    startHeapUsedMb: 0,
    peakHeapUsedMb: 0,
    maxSampleGapMs: 0,
  };
  return {
    name: spec.name,
    source: spec.source,
    printers: spec.printers,
    baseline: spec.baseline,
    windowS: 0,
    deviceReportsPerSec: 0,
    idealWritesPerSec: spec.printers,
    serverWritesPerSec: 0,
    serverWritesPerSecMin: 0,
    serverWritesPerSecMax: 0,
    writesVsIdeal: 0,
    printersWritten: 0,
    clientUpdatesPerSec: 0,
    latencyMs: zero,
    reportToWriteMs: zero,
    writeToClientMs: zero,
    bridge: {
      ...noWindow,
      cpuMsPerPrinterSec: 0,
      startMs: 0,
      allPrintersMs: 0,
      stopMs: 0,
      counters: { reports: 0, telemetryUpdates: 0, printerWrites: 0, printerWritesAccepted: 0 },
      pushes: { requests: 0, rows: 0, maxInFlight: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 },
    },
    serverProcess: noWindow,
    warnings: {},
    error,
  };
}

/**
 * Most a scenario's setup (org, printers, bridge start, every printer seen at the client) may
 * take; 1000 printers took 20-30 s on a loaded 2-core machine.
 */
const SETUP_ALLOWANCE_MS = 60_000;

/** Runs the scenarios one after another within `budget`; each gets a row, measured, failed or skipped. */
export async function runBridgeScenarios(
  server: RunningServer,
  database: BenchDatabase,
  budget: Budget,
  onResult: (r: BridgeResult) => void,
  specs: BridgeScenarioSpec[] = BRIDGE_SCENARIOS,
): Promise<BridgeResult[]> {
  const counter = new pg.Client({ connectionString: database.url });
  counter.on('error', () => undefined);
  await counter.connect();
  const results: BridgeResult[] = [];
  try {
    for (const spec of specs) {
      const remaining = budget.remainingMs();
      let result: BridgeResult;
      if (remaining < spec.windowMs + WARM_UP_MS + 15_000) {
        result = failed(spec, 'skipped: the time budget of the bridge scenarios was used up');
      } else {
        const deadline = Date.now() + Math.min(remaining, spec.windowMs + WARM_UP_MS + SETUP_ALLOWANCE_MS);
        const t0 = Date.now();
        try {
          result = await new Scenario(server, counter, spec, deadline).run();
        } catch (err) {
          const secs = ((Date.now() - t0) / 1000).toFixed(1);
          result = failed(spec, `failed after ${secs} s: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      results.push(result);
      onResult(result);
    }
  } finally {
    await counter.end().catch(() => undefined);
  }
  return results;
}
