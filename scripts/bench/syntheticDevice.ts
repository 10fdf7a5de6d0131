/**
 * The bench's SYNTHETIC DEVICE SOURCE: a `DeviceAdapter` with no protocol and no device behind
 * it. Each instance is one printer mid-print that reports once per `reportMs` (progress,
 * temperatures, layer and remaining time change every report). It goes through the same
 * AdapterCore as the real adapters (sanitizing, change detection, `lastSeenAt` stamped at the
 * moment of emission), so what the bridge runtime sees is what a real adapter would hand it;
 * the protocol layer (sockets, framing, JSON parsing, status mapping) is excluded.
 * Injected into `startBridge` through `StaticPrinter.adapterFactory`.
 */
import type { Observable } from 'rxjs';
import { AdapterCore } from '../../device-bridge/src/adapters/adapterCore.js';
import type { AdapterStats, DeviceAdapter } from '../../device-bridge/src/adapters/deviceAdapter.js';
import {
  commandFailed,
  commandOk,
  type CommandOutcome,
  type PrinterTelemetry,
} from '../../device-bridge/src/adapters/sharedDevices.js';

export const SYNTHETIC_SOURCE = 'bench synthetic device source (in-process DeviceAdapter, no protocol)';

/** Shared by every synthetic device of one bridge process. */
export interface SyntheticCounters {
  /** Reports emitted (each one a changed telemetry value handed to the runtime). */
  reports: number;
}

const TOTAL_LAYERS = 240;
/** Progress per report: a 400-report print, so values keep changing for the whole run. */
const PROGRESS_STEP = 0.25;

export class SyntheticDevice implements DeviceAdapter {
  readonly protocol = 'moonraker' as const; // what the printer documents say; nothing speaks it
  private readonly core = new AdapterCore('bench-synthetic', {});
  private first: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;

  /**
   * @param index the printer's number, so printers do not all report the same values
   * @param offsetMs delay of the first periodic report, to spread reports over the period
   */
  constructor(
    private readonly index: number,
    private readonly offsetMs: number,
    private readonly reportMs: number,
    private readonly counters: SyntheticCounters,
  ) {}

  get telemetry$(): Observable<PrinterTelemetry> {
    return this.core.telemetry$;
  }

  get telemetry(): PrinterTelemetry {
    return this.core.telemetry;
  }

  get stats(): Readonly<AdapterStats> {
    return this.core.stats;
  }

  async connect(): Promise<void> {
    if (this.first || this.timer) return;
    this.report();
    this.first = setTimeout(() => {
      this.first = undefined;
      this.report();
      this.timer = setInterval(() => this.report(), this.reportMs);
    }, this.offsetMs);
  }

  async disconnect(): Promise<void> {
    if (this.first) clearTimeout(this.first);
    if (this.timer) clearInterval(this.timer);
    this.first = this.timer = undefined;
    this.core.complete();
  }

  async execute(action: string): Promise<CommandOutcome> {
    if (action === 'mark_bed_cleared') return this.core.markBedCleared();
    return action === 'pause' || action === 'resume' || action === 'cancel'
      ? commandOk()
      : commandFailed('unsupported', `the bench's synthetic device does not run ${action}`);
  }

  private report(): void {
    const t = this.tick++;
    const progress = (this.index * 7 + t * PROGRESS_STEP) % 100;
    this.core.stats.messages += 1;
    const before = this.core.telemetry;
    this.core.publish({
      status: 'printing',
      progress,
      nozzleTemp: 214 + ((t + this.index) % 9) * 0.25,
      bedTemp: 59.5 + ((t + this.index) % 3) * 0.25,
      layer: Math.floor((progress / 100) * TOTAL_LAYERS),
      totalLayers: TOTAL_LAYERS,
      remainingSeconds: Math.round(((100 - progress) / PROGRESS_STEP) * (this.reportMs / 1000)),
      currentJobId: `bench-job-${this.index}`,
    });
    if (this.core.telemetry !== before) this.counters.reports += 1;
  }
}
