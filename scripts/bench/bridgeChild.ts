/**
 * Bench child: one device bridge (`startBridge`, unchanged runtime) in its own process, so its
 * CPU and memory are separable from the sync server's. Its devices are either the bench's
 * synthetic device source (injected through `StaticPrinter.adapterFactory`) or real adapters
 * for Moonraker simulators running in another process. Driven by bridgeBench.ts over IPC.
 */
import { performance } from 'node:perf_hooks';
import {
  startBridge,
  type AdapterConfig,
  type BridgeLogger,
  type RunningBridge,
  type StaticPrinter,
} from '@fleetsync/device-bridge';
import { serveRpc } from './childRpc.js';
import { ProcessMeter, type ProcessWindow } from './processMeter.js';
import { SyntheticDevice, type SyntheticCounters } from './syntheticDevice.js';

export interface BridgeStartParams {
  serverUrl: string;
  token: string;
  bridgeId: string;
  dataDir: string;
  printerIds: string[];
  /** Synthetic devices, or one adapter config per printer id (same order). */
  source: { kind: 'synthetic'; reportMs: number } | { kind: 'adapters'; adapters: AdapterConfig[] };
}

export interface BridgeStatus {
  sync: string;
  printersKnown: number;
  devicesOnline: number;
  reports: number;
}

export interface BridgeCounters {
  /** Synthetic reports emitted (0 with real adapters: the device host counts those). */
  reports: number;
  telemetryUpdates: number;
  printerWrites: number;
  printerWritesAccepted: number;
}

/** Warnings the runtime logged since start: count and the first one's details, by message. */
export type Warnings = Record<string, { count: number; first: string }>;

/** The bridge's push requests (POST /api/sync/<collection>/push) over the window. */
export interface PushTraffic {
  requests: number;
  rows: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** Request → response headers (the server has committed), ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface BridgeWindow {
  process: ProcessWindow;
  counters: BridgeCounters;
  pushes: PushTraffic;
  warnings: Warnings;
}

const counters: SyntheticCounters = { reports: 0 };
const warnings: Warnings = {};
const logger: BridgeLogger = {
  info: () => undefined,
  warn: (msg, details) => {
    const w = (warnings[msg] ??= { count: 0, first: JSON.stringify(details ?? {}).slice(0, 300) });
    w.count += 1;
  },
};
const meter = new ProcessMeter();

// Observe (not change) the bridge's push requests: how many, how big, how long.
const traffic = { rows: 0, inFlight: 0, maxInFlight: 0, ms: [] as number[] };
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!url.endsWith('/push')) return realFetch(input, init);
  const body = typeof init?.body === 'string' ? init.body : '';
  for (let i = body.indexOf('"newDocumentState"'); i >= 0; i = body.indexOf('"newDocumentState"', i + 1)) traffic.rows += 1;
  traffic.maxInFlight = Math.max(traffic.maxInFlight, ++traffic.inFlight);
  const t0 = performance.now();
  try {
    return await realFetch(input, init);
  } finally {
    traffic.inFlight -= 1;
    traffic.ms.push(performance.now() - t0);
  }
};

function pushTraffic(): PushTraffic {
  const ms = [...traffic.ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms.length ? ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]! : 0);
  return {
    requests: ms.length,
    rows: traffic.rows,
    maxInFlight: traffic.maxInFlight,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
  };
}
let bridge: RunningBridge | undefined;
let before: BridgeCounters | undefined;

function snapshot(): BridgeCounters {
  const s = bridge!.state.stats;
  return {
    reports: counters.reports,
    telemetryUpdates: s.telemetryUpdates,
    printerWrites: s.printerWrites,
    printerWritesAccepted: s.printerWritesAccepted,
  };
}

function staticPrinters(p: BridgeStartParams): StaticPrinter[] {
  const source = p.source;
  if (source.kind === 'adapters') return p.printerIds.map((printerId, i) => ({ printerId, adapter: source.adapters[i]! }));
  const n = p.printerIds.length;
  return p.printerIds.map((printerId, i) => {
    const device = new SyntheticDevice(i, Math.floor((i * source.reportMs) / n), source.reportMs, counters);
    // A distinct config object per printer: the runtime matches the factory to its entry by identity.
    return {
      printerId,
      adapter: { protocol: 'moonraker', baseUrl: `http://synthetic.invalid/${i}` },
      adapterFactory: () => device,
    };
  });
}

async function stop(): Promise<{ stopMs: number; warnings: Warnings }> {
  const t0 = performance.now();
  meter.stopSampling();
  const b = bridge;
  bridge = undefined;
  await b?.stop();
  setTimeout(() => process.exit(0), 300).unref();
  return { stopMs: Math.round(performance.now() - t0), warnings };
}

serveRpc(
  {
    start: async (p: BridgeStartParams) => {
      const t0 = performance.now();
      bridge = await startBridge({
        serverUrl: p.serverUrl,
        token: p.token,
        bridgeId: p.bridgeId,
        siteName: 'Bench bridge',
        dataDir: p.dataDir,
        printers: staticPrinters(p),
        logger,
      });
      return { startMs: Math.round(performance.now() - t0) };
    },
    status: async (): Promise<BridgeStatus> => {
      const printers = bridge!.state.printers;
      return {
        sync: bridge!.state.sync,
        printersKnown: printers.length,
        devicesOnline: printers.filter((x) => x.online).length,
        reports: counters.reports,
      };
    },
    windowStart: async () => {
      before = snapshot();
      Object.assign(traffic, { rows: 0, maxInFlight: traffic.inFlight, ms: [] });
      meter.begin();
      return null;
    },
    windowEnd: async (): Promise<BridgeWindow> => {
      const process = meter.end();
      const pushes = pushTraffic();
      const now = snapshot();
      const b = before!;
      return {
        process,
        counters: {
          reports: now.reports - b.reports,
          telemetryUpdates: now.telemetryUpdates - b.telemetryUpdates,
          printerWrites: now.printerWrites - b.printerWrites,
          printerWritesAccepted: now.printerWritesAccepted - b.printerWritesAccepted,
        },
        pushes,
        warnings: { ...warnings },
      };
    },
    stop,
  },
  async () => void (await stop()),
);
