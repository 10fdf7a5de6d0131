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

export interface BridgeWindow {
  process: ProcessWindow;
  counters: BridgeCounters;
  warnings: Record<string, number>;
}

const counters: SyntheticCounters = { reports: 0 };
const warnings: Record<string, number> = {};
const logger: BridgeLogger = {
  info: () => undefined,
  warn: (msg) => void (warnings[msg] = (warnings[msg] ?? 0) + 1),
};
const meter = new ProcessMeter();
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

async function stop(): Promise<{ stopMs: number; warnings: Record<string, number> }> {
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
      meter.begin();
      return null;
    },
    windowEnd: async (): Promise<BridgeWindow> => {
      const process = meter.end();
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
        warnings: { ...warnings },
      };
    },
    stop,
  },
  async () => void (await stop()),
);
