/** What a running bridge shows about itself (for its host process, a status page, and tests). */
import type { ConnectionStatus } from '@fleetsync/shared/sync';
import type { PrinterProtocol } from '../adapters/deviceAdapter.js';
import type { PrinterTelemetry } from '../adapters/sharedDevices.js';
import type { HistoryEvent, JobRecord } from './printerHistory.js';
import type { CommandResult } from './storeRecords.js';
import type { CommandStats } from './commandRunner.js';

export interface PrinterView {
  printerId: string;
  name: string;
  protocol: PrinterProtocol;
  online: boolean;
  /** The state the bridge delivers to the printer document. */
  state?: PrinterTelemetry;
  /** Why the bridge cannot reach it (no host, no credentials...). */
  problem?: string;
}

export interface CommandView {
  id: string;
  printerId: string;
  action: string;
  /** As last replicated. */
  status: string;
  startedAt?: string;
  /** The outcome not yet shown by the server. */
  result?: CommandResult;
}

export interface BridgeStats extends CommandStats {
  /** Telemetry updates received from adapters. */
  telemetryUpdates: number;
  /** Printer-document writes made to the replica (coalesced). */
  printerWrites: number;
  /** Printer-document states the server accepted. */
  printerWritesAccepted: number;
  /** printerWrites per printer id. */
  writesByPrinter: Record<string, number>;
  heartbeats: number;
  heartbeatFailures: number;
}

export interface BridgeState {
  readonly bridgeId: string;
  /** The live sync connection. */
  readonly sync: ConnectionStatus;
  /** Whether the last registration heartbeat reached the server (null before the first). */
  readonly serverReachable: boolean | null;
  readonly printers: PrinterView[];
  readonly commands: CommandView[];
  readonly stats: BridgeStats;
  /** The local time series (status transitions, jobs, failures, command outcomes). */
  history(printerId?: string): HistoryEvent[];
  /** Finished jobs with estimated and actual durations. */
  jobs(printerId?: string): JobRecord[];
}

export interface RunningBridge {
  readonly state: BridgeState;
  /** Let running commands finish, keep the latest state, close devices, replica and store. */
  stop(): Promise<void>;
}
