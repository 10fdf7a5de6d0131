/**
 * Bench child: N Moonraker simulators (real HTTP + JSON-RPC WebSocket servers on 127.0.0.1),
 * each reporting once per `reportMs`. The simulated printer's own 50 ms clock is halted; the
 * bench steps each printer at 1 Hz by sending a genuine `notify_status_update` delta down the
 * simulator's WebSocket (`injectRaw`). The report number travels in the extruder temperature
 * (deviceReports.ts), so the parent can match what its client receives to the moment the device
 * sent it.
 */
import { createSimulator } from '../../device-bridge/src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../../device-bridge/src/simulators/deviceSimulator.js';
import { serveRpc } from './childRpc.js';
import { MAX_REPORTS, tempOf } from './deviceReports.js';
import { ProcessMeter, type ProcessWindow } from './processMeter.js';

const sims: DeviceSimulator[] = [];
const timers: NodeJS.Timeout[] = [];
/** sent[i][k]: wall-clock ms when printer i sent report k. */
const sent: number[][] = [];
const meter = new ProcessMeter();
let reports = 0;
let reportsAtWindowStart = 0;

function delta(i: number, k: number, reportMs: number): string {
  const progress = ((i * 7 + k * 0.25) % 100) / 100;
  const status = {
    print_stats: {
      state: 'printing',
      filename: `bench-job-${i}.gcode`,
      print_duration: Math.round(((k * reportMs) / 1000 + 60) * 10) / 10,
      total_duration: Math.round((k * reportMs) / 1000 + 60),
      info: { total_layer: 240, current_layer: Math.floor(progress * 240) },
    },
    virtual_sdcard: { progress, is_active: true, file_position: Math.round(progress * 100_000), file_size: 100_000 },
    extruder: { temperature: tempOf(k), target: 215 },
    heater_bed: { temperature: 59.5 + ((k + i) % 3) * 0.25, target: 60 },
    display_status: { progress },
  };
  return JSON.stringify({ jsonrpc: '2.0', method: 'notify_status_update', params: [status, performance.now() / 1000] });
}

function report(i: number, reportMs: number): void {
  const k = sent[i]!.length;
  if (k >= MAX_REPORTS) return;
  sent[i]!.push(Date.now());
  reports += 1;
  void sims[i]!.injectRaw(delta(i, k, reportMs));
}

async function stop(): Promise<null> {
  meter.stopSampling();
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  setTimeout(() => process.exit(0), 300).unref();
  return null;
}

serveRpc(
  {
    start: async ({ count }: { count: number }) => {
      for (let i = 0; i < count; i++) {
        const sim = createSimulator('moonraker', {});
        await sim.start();
        sim.printer.halt(); // the bench steps it (below) instead of its 50 ms clock
        sims.push(sim);
        sent.push([]);
      }
      return sims.map((s) => s.adapterConfig());
    },
    run: async ({ reportMs }: { reportMs: number }) => {
      const n = sims.length;
      sims.forEach((_, i) => {
        const first = setTimeout(
          () => {
            report(i, reportMs);
            timers.push(setInterval(() => report(i, reportMs), reportMs));
          },
          Math.floor((i * reportMs) / n),
        );
        timers.push(first);
      });
      return null;
    },
    windowStart: async () => {
      reportsAtWindowStart = reports;
      meter.begin();
      return null;
    },
    windowEnd: async (): Promise<{ process: ProcessWindow; reports: number }> => ({
      process: meter.end(),
      reports: reports - reportsAtWindowStart,
    }),
    sent: async () => sent,
    stop,
  },
  async () => void (await stop()),
);
