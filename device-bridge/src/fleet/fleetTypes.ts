/**
 * The fleet service's public types and the state its parts share (see `fleetService.ts`).
 */
import type { AclStats, AgentChannel } from './agentBroker.js';
import type { ArtifactCache } from './artifactCache.js';
import type { FleetServerClient } from './serverClient.js';
import type { AgentDown, ExecutionResult, LeasedWork } from './sharedFleet.js';

export interface FleetLogger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
}
export const silent: FleetLogger = { info: () => undefined, warn: () => undefined };

export interface FleetServiceOptions {
  /** The agents' broker: the embedded one (default, with the per-agent ACL) or an external broker such as Mosquitto (`MQTT_URL`). */
  broker?: { embedded: { host?: string; port?: number } } | { url: string };
  serverUrl: string;
  /** The bridge's API token (scope `bridge`, bound to one org and bridge id). */
  token: string;
  /** Names this bridge's MQTT client on an external broker. */
  bridgeId?: string;
  /** Where the bridge keeps its agent registry, work cache, outbox and artifacts. */
  cacheDir: string;
  /** The artifact server agents download from (HTTP); `publicHost` is the name agents reach it by. */
  artifacts?: { host?: string; port?: number; publicHost?: string };
  /** Told to agents in `welcome` (default 30). */
  heartbeatSeconds?: number;
  /** A lease lasts the work's timeout plus this (default 60). */
  leaseGraceSeconds?: number;
  /** How often queued work is prefetched and reports and heartbeats flushed (default 5 s). */
  pollMs?: number;
  registryRefreshMs?: number;
  log?: FleetLogger;
}

export type QueuedEvent =
  | { type: 'running'; deviceId: string; executionId: string; attempt: number }
  | { type: 'result'; deviceId: string; result: ExecutionResult };

export interface CachedItem {
  deviceId: string;
  notBefore?: string;
  work: LeasedWork;
}

export interface WorkState {
  items: CachedItem[];
  /** Leases handed out locally while the server was unreachable: execution id -> agent, attempt. */
  localLeases: Record<string, { deviceId: string; attempt: number; at: string; done?: boolean }>;
}

export type RejectReason = 'malformed' | 'agent_mismatch' | 'unknown_agent' | 'bad_signature' | 'client_mismatch';

export interface FleetStats {
  /** Messages the bridge refused, by reason (forged, unknown or broken). */
  rejected: Record<RejectReason, number>;
  rejections: { topic: string; reason: RejectReason }[];
  enrolled: number;
  acl: AclStats | null;
}

export interface FleetService {
  readonly brokerUrl: string;
  readonly brokerKind: 'embedded' | 'external';
  readonly artifactBaseUrl: string;
  readonly server: FleetServerClient;
  readonly stats: FleetStats;
  /** Executions prefetched for offline use. */
  cachedWork(): { deviceId: string; executionId: string }[];
  outboxSize(): number;
  hasArtifact(sha256: string): boolean;
  /** One poll cycle now: flush heartbeats and reports, prefetch work and artifacts, nudge agents. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

export const now = () => new Date().toISOString();
/** A down message without its envelope (distributes over the union). */
export type DownBody = AgentDown extends infer T
  ? T extends unknown
    ? Omit<T, 'v' | 'msgId' | 'sentAt' | 'sig'>
    : never
  : never;

/** What the service's parts share: its settings, its state, and the helpers every part uses. */
export interface FleetCore {
  readonly log: FleetLogger;
  readonly heartbeatSeconds: number;
  readonly grace: number;
  readonly server: FleetServerClient;
  readonly registry: Map<string, string>;
  readonly work: WorkState;
  readonly outbox: QueuedEvent[];
  readonly heartbeats: Map<string, { at: string; agentVersion?: string }>;
  readonly handed: Map<string, Set<string>>;
  readonly lastNudge: Map<string, string>;
  readonly stats: FleetStats;
  isStopped(): boolean;
  /** The agents' broker (set once it has started). */
  channel(): AgentChannel;
  /** The artifact cache (set once it has started). */
  artifacts(): ArtifactCache;
  saveRegistry(): Promise<void>;
  saveWork(): Promise<void>;
  saveOutbox(): Promise<void>;
  knownDigest(agentId: string): Promise<string | undefined>;
  reject(topic: string, reason: RejectReason): void;
  reply(agentId: string, body: DownBody): Promise<void>;
}
