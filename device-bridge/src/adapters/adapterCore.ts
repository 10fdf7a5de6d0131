/**
 * What every adapter shares: the current telemetry (always schema-valid), message statistics,
 * the size cap, logging of malformed input, and the bridge-level "bed cleared" acknowledgement.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { AdapterCommonConfig, AdapterStats, DeviceLogger } from './deviceAdapter.js';
import { silentLogger } from './deviceAdapter.js';
import { commandOk, sameTelemetry, sanitizeTelemetry, type CommandOutcome, type PrinterTelemetry } from './sharedDevices.js';

export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export class AdapterCore {
  readonly stats: AdapterStats = { messages: 0, malformed: 0 };
  readonly logger: DeviceLogger;
  readonly maxMessageBytes: number;
  private readonly subject = new BehaviorSubject<PrinterTelemetry>({ status: 'offline' });
  /** Set by mark_bed_cleared: a finished printer reads as idle until its next job. */
  private bedCleared = false;
  private deviceView: PrinterTelemetry = { status: 'offline' };

  constructor(
    readonly name: string,
    config: AdapterCommonConfig,
  ) {
    this.logger = config.logger ?? silentLogger;
    this.maxMessageBytes = config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  get telemetry$(): Observable<PrinterTelemetry> {
    return this.subject.asObservable();
  }

  get telemetry(): PrinterTelemetry {
    return this.subject.getValue();
  }

  /** Count one incoming message; false (and counted as malformed) when it is over the size cap. */
  accept(sizeBytes: number, source: string): boolean {
    this.stats.messages += 1;
    if (sizeBytes <= this.maxMessageBytes) return true;
    this.malformed(source, `message of ${sizeBytes} bytes is over the ${this.maxMessageBytes} byte limit`);
    return false;
  }

  malformed(source: string, reason: string): void {
    this.stats.malformed += 1;
    this.logger.warn('malformed device message dropped', { adapter: this.name, source, reason: reason.slice(0, 200) });
  }

  /** Parse JSON text; undefined (and counted) when it is not JSON. */
  parseJson(text: string, source: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      this.malformed(source, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** The device's latest view of itself; the emitted value also applies the bed-cleared override. */
  publish(view: PrinterTelemetry): void {
    this.deviceView = view;
    if (view.status !== 'finished' && view.status !== 'offline') this.bedCleared = false;
    const shown = this.bedCleared && view.status === 'finished' ? { ...view, status: 'idle' as const } : view;
    const next = sanitizeTelemetry(shown);
    if (next.status === 'offline' && this.telemetry.lastSeenAt) next.lastSeenAt = this.telemetry.lastSeenAt;
    if (sameTelemetry(next, this.telemetry)) return;
    if (next.status !== 'offline') next.lastSeenAt = new Date().toISOString();
    this.subject.next(next);
  }

  offline(reason?: string): void {
    if (this.deviceView.status === 'offline' && this.telemetry.status === 'offline') return;
    if (reason) this.logger.info('device offline', { adapter: this.name, reason });
    this.publish({ status: 'offline', ...(reason ? { lastError: reason } : {}) });
  }

  /** mark_bed_cleared: no device I/O; a finished printer now reads as idle. */
  markBedCleared(): CommandOutcome {
    this.bedCleared = true;
    this.publish(this.deviceView);
    return commandOk();
  }

  complete(): void {
    this.subject.complete();
  }
}

/** Byte length of a message as it arrived. */
export function byteLength(raw: string | Uint8Array): number {
  return typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
}

export function toText(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
}

/** `job-42` from `job-42.gcode`, `job-42.gcode.3mf` or `/sdcard/job-42.bgcode`: the job name the bridge uploaded under. */
export function jobNameFromFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const base = file.split('/').pop() ?? file;
  const name = base.replace(/(\.gcode)?\.3mf$/i, '').replace(/\.(b?gcode|gco|g)$/i, '');
  return name === '' ? undefined : name;
}
