/**
 * One interface for every printer protocol (ARCHITECTURE §2, STYLE 7). A bridge runtime builds
 * adapters with createAdapter(), subscribes to telemetry$, and runs command documents with execute().
 */
import type { Observable } from 'rxjs';
import type { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import type { CommandOutcome, CommandParams, PrinterTelemetry } from './sharedDevices.js';

export type PrinterProtocol = (typeof PRINTER_PROTOCOLS)[number];

/** Injected logger (pino-compatible in spirit: a message plus structured details). */
export interface DeviceLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

export const silentLogger: DeviceLogger = { info: () => undefined, warn: () => undefined };

export interface AdapterStats {
  /** Messages received from the device (reports, frames, poll responses). */
  messages: number;
  /** Of those, the ones that could not be used: bad JSON, wrong shape or types, too large. */
  malformed: number;
}

export interface ExecuteOptions {
  /** Give up after this long and answer `{ ok: false, code: 'timeout' }`. */
  timeoutMs: number;
}

export interface DeviceAdapter {
  readonly protocol: PrinterProtocol;
  /**
   * The printer as this adapter sees it, always inside the printer document's limits. Replays the
   * latest value to a new subscriber (a BehaviorSubject underneath), then emits on every change.
   * `status: 'offline'` while the device cannot be reached.
   */
  readonly telemetry$: Observable<PrinterTelemetry>;
  /** The latest telemetry value, the same one telemetry$ last emitted. */
  readonly telemetry: PrinterTelemetry;
  readonly stats: Readonly<AdapterStats>;
  /**
   * Start talking to the device. Resolves after the first attempt, connected or not; an
   * unreachable device shows as offline and is retried with backoff until disconnect().
   */
  connect(): Promise<void>;
  /** Stop talking to the device and release every socket and timer. Idempotent. */
  disconnect(): Promise<void>;
  /** Run one printer action (collections/commands PRINTER_ACTIONS). Never throws. */
  execute(action: string, params: CommandParams, options: ExecuteOptions): Promise<CommandOutcome>;
  /** Send a sliced file to the device and start printing it. Never throws. */
  uploadAndStart?(fileName: string, bytes: Uint8Array, options: ExecuteOptions): Promise<CommandOutcome>;
}

export interface ReconnectOptions {
  initialMs: number;
  maxMs: number;
}

/** What every adapter accepts besides its protocol's own settings. */
export interface AdapterCommonConfig {
  logger?: DeviceLogger;
  reconnect?: Partial<ReconnectOptions>;
  /** Messages larger than this are dropped and counted as malformed (default 10 MiB). */
  maxMessageBytes?: number;
}

export interface BambuConfig extends AdapterCommonConfig {
  protocol: 'bambu';
  /** `mqtts://<printer-ip>:8883` for a printer; `mqtt://127.0.0.1:1883` against a plain broker in tests. */
  url: string;
  serial: string;
  accessCode: string;
  /** Implicit FTPS for uploads; defaults to the MQTT host and port 990. */
  ftps?: { host?: string; port?: number };
}

export interface MoonrakerConfig extends AdapterCommonConfig {
  protocol: 'moonraker';
  /** `http://<host>:7125`; the websocket is `/websocket` below it. */
  baseUrl: string;
  apiKey?: string;
}

export interface PrusaLinkConfig extends AdapterCommonConfig {
  protocol: 'prusalink';
  baseUrl: string;
  apiKey: string;
  /** Storage uploads go to (default `usb`). */
  storage?: string;
  pollIntervalMs?: number;
}

export interface OctoPrintConfig extends AdapterCommonConfig {
  protocol: 'octoprint';
  baseUrl: string;
  apiKey: string;
  pollIntervalMs?: number;
}

export type AdapterConfig = BambuConfig | MoonrakerConfig | PrusaLinkConfig | OctoPrintConfig;
