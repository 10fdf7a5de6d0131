/** What every protocol simulator offers: the printer inside, its files, and device-side controls for tests and demos. */
import type { AdapterConfig, PrinterProtocol } from '../adapters/deviceAdapter.js';
import type { PrintFiles } from './printFiles.js';
import type { SimulatedPrinter } from './simulatedPrinter.js';

export interface DeviceSimulator {
  readonly protocol: PrinterProtocol;
  readonly printer: SimulatedPrinter;
  readonly files: PrintFiles;
  /** The port it listens on (the first one it got, kept across restarts). */
  readonly port: number;
  /** How an adapter reaches this simulator. */
  adapterConfig(): AdapterConfig;
  /** Send this exact text down the device → adapter path (next report, frame or poll answer). */
  injectRaw(payload: string): Promise<void>;
  /** While muted, commands get no answer at all (a device that hangs). */
  setMuted(muted: boolean): void;
  /** Listen (again, on the same port after a stop) and run the printer's clock. */
  start(): Promise<void>;
  /** Drop every connection and stop listening: the device went away. */
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Simulated seconds per real second. */
  timeScale?: number;
  apiKey?: string;
}

/** `thing.gcode` → the job plan the printer uses: time and layers from the file, defaults otherwise. */
export function startStoredFile(printer: SimulatedPrinter, files: PrintFiles, fileName: string) {
  const plan = files.plan(fileName);
  return printer.startJob(fileName, { durationS: plan.durationS, totalLayers: plan.totalLayers });
}
