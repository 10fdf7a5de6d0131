/**
 * What a bridge runtime is started with, and the defaults it fills in. A bridge is a sync client
 * with its own credential: an API token with scope `bridge`, bound to one org and one bridge id.
 */
import { readFileSync } from 'node:fs';
import type { AdapterConfig, DeviceAdapter, DeviceLogger, ReconnectOptions } from '../adapters/deviceAdapter.js';
import { silentLogger } from '../adapters/deviceAdapter.js';

export type BridgeLogger = DeviceLogger;

/**
 * A device whose connection details come from the bridge's own configuration (demo mode, or a
 * site that keeps its printers' addresses locally) instead of the printer document and the
 * server's credential store.
 */
export interface StaticPrinter {
  /** The printer document this device is. Without it, the device is used for the first assigned printer of its protocol. */
  printerId?: string;
  /** How to reach it, credentials included. */
  adapter: AdapterConfig;
  /** Builds the adapter for `adapter` instead of createAdapter (benchmarks: an in-process device source). */
  adapterFactory?: (config: AdapterConfig) => DeviceAdapter;
}

export interface BridgeConfig {
  /** The sync server, e.g. `http://127.0.0.1:8787`. */
  serverUrl: string;
  /** The bridge's API token (scope `bridge`). */
  token: string;
  /** Must equal the bridge id the token is bound to; printers with this `bridgeId` are this bridge's. */
  bridgeId: string;
  siteName: string;
  /** Where the durable store lives (created when missing). */
  dataDir: string;
  printers?: StaticPrinter[];
  /** Registration heartbeat and credential refresh interval (default 20 s; the server counts a bridge online for 60 s). */
  heartbeatMs?: number;
  /** At most one printer-document write per printer per this many ms (default 1000). */
  coalesceMs?: number;
  /** How long a device has to confirm a command (default 10 s); then the outcome is `failed` / `timeout`. */
  commandTimeoutMs?: number;
  /** While online, how long to wait for the server to store `acknowledged` before sending to the device (default 2 s). */
  ackWaitMs?: number;
  /** Rewrite `lastSeenAt` of an online printer whose state has not changed for this long (default 60 s). */
  seenRefreshMs?: number;
  /** How often pending commands are checked for expiry and for devices that came back (default 1 s). */
  sweepMs?: number;
  /** How often an idle auto-queue printer asks the server for its next job (default 10 s). */
  autoQueuePollMs?: number;
  /** Device reconnect backoff. */
  deviceReconnect?: Partial<ReconnectOptions>;
  /** Reported at registration (default: this package's version). */
  version?: string;
  logger?: BridgeLogger;
}

export type ResolvedConfig = Required<Omit<BridgeConfig, 'deviceReconnect'>> & Pick<BridgeConfig, 'deviceReconnect'>;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function resolveConfig(config: BridgeConfig): ResolvedConfig {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.bridgeId)) throw new Error(`invalid bridge id: ${config.bridgeId}`);
  return {
    printers: [],
    heartbeatMs: 20_000,
    coalesceMs: 1_000,
    commandTimeoutMs: 10_000,
    ackWaitMs: 2_000,
    seenRefreshMs: 60_000,
    sweepMs: 1_000,
    autoQueuePollMs: 10_000,
    version: packageVersion(),
    logger: silentLogger,
    ...(Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as BridgeConfig),
    serverUrl: config.serverUrl.replace(/\/+$/, ''),
  };
}
