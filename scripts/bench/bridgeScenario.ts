/** One device-bridge scale scenario: setup, the measured window and cleanup (see bridgeBench.ts). */
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
import { ProcessMeter, type ProcessWindow } from './processMeter.js';
import { benchPrinters, pushRaw } from './seed.js';
import { createTenant, type Tenant } from './server.js';
import { SYNTHETIC_SOURCE } from './syntheticDevice.js';
import { benchReplica } from './syncBench.js';
import { percentiles, REPORT_MS, WARM_UP_MS, type BridgeResult, type BridgeScenarioSpec } from './bridgeTypes.js';

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

export class Scenario {
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
