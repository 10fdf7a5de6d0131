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
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RxChangeEvent } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { AdapterConfig } from '@fleetsync/device-bridge';
import { parseHlc } from '@fleetsync/shared';
import { postJson, type Replica } from '@fleetsync/shared/sync';
import type { RunningServer } from '@fleetsync/sync-server';
import { withScope } from '../../sync-server/src/db/scope.js';
import type { BridgeStartParams, BridgeWindow, Warnings } from './bridgeChild.js';
import { BenchChild } from './childRpc.js';
import { reportOf } from './deviceReports.js';
import { waitUntil, withTimeout } from './measure.js';
import type { BenchDatabase } from './pg.js';
import { ProcessMeter, type ProcessWindow } from './processMeter.js';
import type { Budget } from './runner.js';
import { benchPrinters, pushRaw } from './seed.js';
import { createTenant, type Tenant } from './server.js';
import { SYNTHETIC_SOURCE } from './syntheticDevice.js';
import { benchReplica } from './syncBench.js';

export const REPORT_MS = 1000;
const WARM_UP_MS = 3_000;

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

interface Receipt {
  id: string;
  at: number;
  lastSeenAt: string;
  /** When the bridge wrote this state into its replica (field clock of lastSeenAt). */
  writtenAt: number | undefined;
  nozzleTemp: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentiles(values: number[]): Percentiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => (v.length ? v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]! : 0);
  return { samples: v.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: v.at(-1) ?? 0 };
}

async function createBridgeToken(t: Tenant, bridgeId: string): Promise<string> {
  const body = { name: `bench ${bridgeId}`, scopes: ['bridge'], expiresInDays: 1, orgId: t.orgId, bridgeId };
  const res = await postJson<{ token?: string }>(t.transport, '/api/tokens', body);
  if (!res.token) throw new Error('bench: POST /api/tokens returned no token');
  return res.token;
}

async function dispose(replica: Replica): Promise<void> {
  await replica.goOffline();
  await replica.db.remove();
}

class Scenario {
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private readonly seen = new Set<string>();
  private readonly receipts: Receipt[] = [];
  private recording = false;
  private stopMs = -1;
  private warnings: Warnings = {};

  constructor(
    private readonly server: RunningServer,
    private readonly counter: pg.Client,
    private readonly spec: BridgeScenarioSpec,
    /** Wall-clock deadline for the whole scenario. */
    private readonly deadline: number,
  ) {}

  private left(): number {
    return Math.max(1_000, this.deadline - Date.now());
  }

  private async seq(): Promise<number> {
    const res = await this.counter.query<{ value: string }>('SELECT value FROM sync_counter WHERE id = 1');
    return Number(res.rows[0]?.value ?? 0);
  }

  async run(): Promise<BridgeResult> {
    let result: BridgeResult | undefined;
    try {
      result = await this.measure();
      return result;
    } finally {
      this.recording = false;
      // Last registered, first undone: the bridge before its devices, the client, the folder.
      for (const undo of this.cleanups.reverse())
        await undo().catch((err: Error) => process.stderr.write(`bench: bridge cleanup: ${err.message}\n`));
      if (result) {
        result.bridge.stopMs = this.stopMs;
        result.warnings = { ...result.warnings, ...this.warnings };
      }
    }
  }

  private async measure(): Promise<BridgeResult> {
    const { spec, server } = this;
    const n = spec.printers;
    const bridgeId = `bench-${spec.source}-${n}`;
    const t = await createTenant(server, `bridge-${spec.source}-${n}`);
    const docs = benchPrinters(t.orgId, n).map((d) => ({
      ...d,
      protocol: 'moonraker',
      bridgeId,
      status: 'idle',
      progress: 0,
      autoQueue: false,
    }));
    await pushRaw(t.transport, docs, 500, this.left());
    const printerIds = docs.map((d) => d.id);
    const token = await createBridgeToken(t, bridgeId);

    // The subscribed user: a replica of the org's printers, in sync before the bridge starts.
    const replica = await benchReplica(t.transport);
    this.cleanups.push(() => dispose(replica));
    await withTimeout(replica.awaitInSync(), this.left(), `the client's initial pull of ${n} printers`);
    const sub: Subscription = replica.collections.printers!.$.subscribe((e: RxChangeEvent<Record<string, unknown>>) => {
      const at = Date.now();
      const d = e.documentData;
      if (typeof d?.lastSeenAt !== 'string') return;
      this.seen.add(e.documentId);
      if (!this.recording) return;
      const clock = (d.clock as Record<string, string> | undefined)?.lastSeenAt;
      const writtenAt = clock ? parseHlc(clock)?.wall : undefined;
      this.receipts.push({ id: e.documentId, at, lastSeenAt: d.lastSeenAt, writtenAt, nozzleTemp: d.nozzleTemp });
    });
    this.cleanups.push(async () => sub.unsubscribe());

    let host: BenchChild | undefined;
    let source: BridgeStartParams['source'] = { kind: 'synthetic', reportMs: REPORT_MS };
    if (spec.source === 'moonraker') {
      const h = new BenchChild('scripts/bench/deviceHostChild.ts', 'device host');
      host = h;
      this.cleanups.push(() => h.stop('stop', 15_000));
      const adapters = await h.call<AdapterConfig[]>('start', { count: n }, this.left());
      await h.call('run', { reportMs: REPORT_MS }, 10_000);
      source = { kind: 'adapters', adapters };
    }

    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-bench-bridge-'));
    const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
    process.once('exit', removeDir); // also when the run is interrupted
    this.cleanups.push(async () => {
      process.off('exit', removeDir);
      await rm(dataDir, { recursive: true, force: true });
    });
    const bridge = new BenchChild('scripts/bench/bridgeChild.ts', 'bridge');
    this.cleanups.push(async () => {
      const r = (await bridge.stop('stop', 20_000)) as { stopMs?: number; warnings?: Warnings };
      this.stopMs = r.stopMs ?? -1;
      if (r.warnings) this.warnings = r.warnings;
    });
    const params: BridgeStartParams = { serverUrl: server.url, token, bridgeId, dataDir, printerIds, source };
    const started = Date.now();
    const { startMs } = await bridge.call<{ startMs: number }>('start', params, this.left());
    await waitUntil(async () => this.seen.size >= n, this.left(), `all ${n} printers reported to the client`, 100).catch(
      async (err: Error) => {
        const s = await bridge.call<unknown>('status', undefined, 5_000).catch(() => 'no answer');
        throw new Error(`${err.message} (${this.seen.size} did; bridge: ${JSON.stringify(s)})`);
      },
    );
    const allPrintersMs = Date.now() - started;
    await sleep(WARM_UP_MS);

    // The window.
    const parent = new ProcessMeter();
    const seq0 = await this.seq();
    await bridge.call('windowStart', undefined, 5_000);
    await host?.call('windowStart', undefined, 5_000);
    parent.begin();
    this.recording = true;
    const t0 = Date.now();
    const perSecond: number[] = [];
    let prev = { at: t0, seq: seq0 };
    const seconds = Math.round(spec.windowMs / 1000);
    for (let s = 1; s <= seconds; s++) {
      await sleep(Math.max(0, t0 + s * 1000 - Date.now()));
      const now = { at: Date.now(), seq: await this.seq() };
      perSecond.push(((now.seq - prev.seq) * 1000) / Math.max(1, now.at - prev.at));
      prev = now;
    }
    this.recording = false;
    const windowMs = prev.at - t0;
    const serverProcess = parent.end();
    const bw = await bridge.call<BridgeWindow>('windowEnd', undefined, 10_000);
    const hw = await host?.call<{ process: ProcessWindow; reports: number }>('windowEnd', undefined, 10_000);
    const written = await withScope(server.db, { all: false, orgIds: [t.orgId] }, (c) =>
      c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM documents WHERE collection = 'printers' AND org_id = $1 AND seq > $2",
        [t.orgId, seq0],
      ),
    );

    // Latency: device report → client change event, split at the bridge's replica write.
    const latency: number[] = [];
    const toWrite: number[] = [];
    const fromWrite: number[] = [];
    let adapterToClient: number[] | undefined;
    const receipts = this.receipts.filter((r) => r.at <= t0 + windowMs);
    const sent = host ? await host.call<number[][]>('sent', undefined, 10_000) : undefined;
    const index = new Map(printerIds.map((id, i) => [id, i]));
    for (const r of receipts) {
      let reported: number | undefined = Date.parse(r.lastSeenAt);
      if (sent) {
        const k = reportOf(r.nozzleTemp);
        reported = k === undefined ? undefined : sent[index.get(r.id) ?? -1]?.[k];
      }
      if (reported === undefined) continue;
      latency.push(r.at - reported);
      if (r.writtenAt === undefined) continue;
      toWrite.push(r.writtenAt - reported);
      fromWrite.push(r.at - r.writtenAt);
    }
    if (sent) adapterToClient = receipts.map((r) => r.at - Date.parse(r.lastSeenAt));

    const windowS = windowMs / 1000;
    const writes = prev.seq - seq0;
    const reports = hw ? hw.reports : bw.counters.reports;
    return {
      name: spec.name,
      source: spec.source === 'synthetic' ? SYNTHETIC_SOURCE : 'Moonraker simulators (real protocol), stepped at 1 Hz',
      printers: n,
      baseline: spec.baseline,
      windowS: round(windowS, 2),
      deviceReportsPerSec: round(reports / windowS),
      idealWritesPerSec: (n * 1000) / REPORT_MS,
      serverWritesPerSec: round(writes / windowS),
      serverWritesPerSecMin: Math.round(Math.min(...perSecond)),
      serverWritesPerSecMax: Math.round(Math.max(...perSecond)),
      writesVsIdeal: round(writes / windowS / ((n * 1000) / REPORT_MS), 3),
      printersWritten: written.rows[0]?.n ?? 0,
      clientUpdatesPerSec: round(receipts.length / windowS),
      latencyMs: percentiles(latency),
      reportToWriteMs: percentiles(toWrite),
      writeToClientMs: percentiles(fromWrite),
      ...(adapterToClient ? { adapterToClientMs: percentiles(adapterToClient) } : {}),
      bridge: {
        ...bw.process,
        cpuMsPerPrinterSec: round(bw.process.cpuMs / n / (bw.process.wallMs / 1000), 3),
        startMs,
        allPrintersMs,
        stopMs: -1, // set once the bridge has stopped (run())
        counters: bw.counters,
        pushes: bw.pushes,
      },
      serverProcess,
      ...(hw ? { deviceHost: hw.process } : {}),
      warnings: bw.warnings,
    };
  }
}

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
