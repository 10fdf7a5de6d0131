/** The device-bridge scenarios on stdout: progress lines, two tables and the ratios. */
import { BRIDGE_BASELINE, type BridgeResult } from './bridgeBench.js';
import { SYNTHETIC_SOURCE } from './syntheticDevice.js';

const out = (line = '') => process.stdout.write(`${line}\n`);
const cell = (value: string | number, width: number, left = false) =>
  left ? String(value).padEnd(width) : String(value).padStart(width);

export interface BridgeRatio {
  scenario: string;
  /** Server writes/s ÷ the ideal (one write per printer per second). */
  writesVsIdeal: number;
  /** Bridge CPU per printer-second ÷ that of the baseline. */
  cpuPerPrinterVsBase: number | null;
  /** Bridge peak RSS ÷ that of the baseline. */
  peakRssVsBase: number | null;
  baseline: string;
}

export function bridgeRatios(results: BridgeResult[]): BridgeRatio[] {
  const base = results.find((r) => r.name === BRIDGE_BASELINE && !r.error);
  const ratio = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 1000) / 1000 : null);
  return results
    .filter((r) => !r.error)
    .map((r) => ({
      scenario: r.name,
      writesVsIdeal: r.writesVsIdeal,
      cpuPerPrinterVsBase: ratio(r.bridge.cpuMsPerPrinterSec, base?.bridge.cpuMsPerPrinterSec),
      peakRssVsBase: ratio(r.bridge.peakRssMb, base?.bridge.peakRssMb),
      baseline: BRIDGE_BASELINE,
    }));
}

export function bridgeLine(r: BridgeResult): string {
  if (r.error) return `  ${r.name}: ${r.error}`;
  return (
    `  ${r.name}: ${r.serverWritesPerSec} server writes/s (ideal ${r.idealWritesPerSec}), latency p50 ${r.latencyMs.p50} ms ` +
    `p99 ${r.latencyMs.p99} ms, bridge CPU ${r.bridge.cpuPctOfCore} % of a core, RSS peak ${r.bridge.peakRssMb} MB ` +
    `(all printers at the client ${(r.bridge.allPrintersMs / 1000).toFixed(1)} s after bridge start)`
  );
}

/** Telemetry updates the runtime got, writes it made to its replica, pushed rows the server accepted: per second. */
function pipeline(r: BridgeResult): string {
  const c = r.bridge.counters;
  const per = (n: number) => Math.round(n / r.windowS);
  return `${per(c.telemetryUpdates)}/${per(c.printerWrites)}/${per(c.printerWritesAccepted)}`;
}

/** The bridge's push requests: per second, rows per request, round trip. */
function pushes(r: BridgeResult): string {
  const p = r.bridge.pushes;
  if (p.requests === 0) return '-';
  return `${(p.requests / r.windowS).toFixed(1)} x ${(p.rows / p.requests).toFixed(1)}, ${p.p50Ms}/${p.p99Ms}`;
}

export function printBridgeTables(results: BridgeResult[]): void {
  const ratios = bridgeRatios(results);
  const name = 45;
  const h1 = [
    cell('scenario', name, true),
    cell('window s', 8),
    cell('reports/s', 9),
    cell('writes/s (1 s min-max)', 22),
    cell('vs ideal', 8),
    cell('printers written', 16),
    cell('bridge telem/repl/acked per s', 29),
    cell('client upd/s', 12),
    cell('latency ms p50/p90/p99/max', 27),
    cell('report>write p50/p99', 20),
    cell('write>client p50/p99', 20),
  ].join(' ');
  out('Device bridge, throughput and latency (device report -> subscribed client replica):');
  out(h1);
  out('-'.repeat(h1.length));
  for (const r of results) {
    if (r.error) {
      out([cell(r.name, name, true), r.error.startsWith('skipped') ? 'SKIPPED (see below)' : 'FAILED (see below)'].join(' '));
      continue;
    }
    const l = r.latencyMs;
    out(
      [
        cell(r.name, name, true),
        cell(r.windowS.toFixed(1), 8),
        cell(r.deviceReportsPerSec, 9),
        cell(`${r.serverWritesPerSec} (${r.serverWritesPerSecMin}-${r.serverWritesPerSecMax})`, 22),
        cell(r.writesVsIdeal.toFixed(3), 8),
        cell(`${r.printersWritten}/${r.printers}`, 16),
        cell(pipeline(r), 29),
        cell(r.clientUpdatesPerSec, 12),
        cell(`${l.p50}/${l.p90}/${l.p99}/${l.max}`, 27),
        cell(`${r.reportToWriteMs.p50}/${r.reportToWriteMs.p99}`, 20),
        cell(`${r.writeToClientMs.p50}/${r.writeToClientMs.p99}`, 20),
      ].join(' '),
    );
  }
  out();
  const h2 = [
    cell('scenario', name, true),
    cell('bridge CPU %core', 16),
    cell('ms/printer-s', 12),
    cell('vs base', 7),
    cell('RSS MB start>peak', 17),
    cell('heap MB start>peak', 18),
    cell('pushes/s rows/push ms p50/p99', 29),
    cell('ELU', 5),
    cell('stall ms', 8),
    cell('server proc CPU %core', 21),
    cell('device host CPU %core', 21),
  ].join(' ');
  out('Device bridge, cost (the bridge is a child process; "server proc" = sync server + subscribed client + bench driver):');
  out(h2);
  out('-'.repeat(h2.length));
  for (const r of results) {
    if (r.error) continue;
    const b = r.bridge;
    const mine = ratios.find((x) => x.scenario === r.name);
    out(
      [
        cell(r.name, name, true),
        cell(b.cpuPctOfCore.toFixed(1), 16),
        cell(b.cpuMsPerPrinterSec.toFixed(3), 12),
        cell(r.baseline ? 'base' : (mine?.cpuPerPrinterVsBase?.toFixed(2) ?? '-'), 7),
        cell(`${b.startRssMb.toFixed(0)}>${b.peakRssMb.toFixed(0)}`, 17),
        cell(`${b.startHeapUsedMb.toFixed(0)}>${b.peakHeapUsedMb.toFixed(0)}`, 18),
        cell(pushes(r), 29),
        cell(b.elu.toFixed(2), 5),
        cell(b.maxSampleGapMs, 8),
        cell(r.serverProcess.cpuPctOfCore.toFixed(1), 21),
        cell(r.deviceHost ? r.deviceHost.cpuPctOfCore.toFixed(1) : '-', 21),
      ].join(' '),
    );
  }
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    out();
    for (const r of failed) out(`  ${r.name}: ${r.error}`);
  }
  const warned = results.filter((r) => Object.keys(r.warnings).length > 0);
  for (const r of warned)
    for (const [msg, w] of Object.entries(r.warnings))
      out(`  bridge warning in ${r.name}: "${msg}" x${w.count}, first: ${w.first}`);
  out();
  out(`Ratios (baseline for per-printer cost: "${BRIDGE_BASELINE}"; ideal writes/s = printers x 1 Hz):`);
  for (const x of ratios) {
    const cpu = x.cpuPerPrinterVsBase === null ? '-' : x.cpuPerPrinterVsBase.toFixed(3);
    const rss = x.peakRssVsBase === null ? '-' : x.peakRssVsBase.toFixed(3);
    out(
      `  ${x.scenario.padEnd(name)} writes/ideal ${x.writesVsIdeal.toFixed(3)}, CPU per printer vs base ${cpu}, peak RSS vs base ${rss}`,
    );
  }
  out();
  out(`Notes: "(synthetic)" rows use the ${SYNTHETIC_SOURCE}: the protocol layer is EXCLUDED`);
  out('(no sockets, framing or parsing; the adapter core still sanitizes, detects changes and stamps lastSeenAt).');
  out('"(Moonraker sims)" includes the protocol: real simulators (HTTP + JSON-RPC WebSocket) in a separate device-host');
  out('process and the real Moonraker adapter in the bridge; each simulator is stepped at 1 Hz with genuine');
  out('notify_status_update deltas instead of its 50 ms clock. Latency: synthetic = adapter emission (lastSeenAt in the');
  out('document) -> client change event; Moonraker = simulator send -> client change event. Writes/s = advance of the');
  out("server's change sequence (sync_counter) over the window, sampled each second; the bridge is the only writer then.");
  out('report>write = device report -> the bridge writes the state into its replica (the field clock it stamps): the');
  out("runtime's coalescing wait (one write per printer per second, on a grid set by the printer's first write) plus");
  out('its store append; write>client = RxDB push, server transaction, live stream and the client replica.');
  out('bridge telem/repl/acked = telemetry updates the runtime received / writes it made to its replica / rows the');
  out("server accepted from its pushes, per second; pushes = the bridge's POST .../push requests (observed by wrapping");
  out('fetch in the bridge process): per second, rows per request, round trip to response headers p50/p99 ms.');
  out('PostgreSQL CPU is not included in any column.');
}
