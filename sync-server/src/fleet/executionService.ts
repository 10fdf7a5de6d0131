/**
 * Executions on the server: leasing (one at a time per device, redelivering an unfinished
 * lease), lease expiry (lazily, whenever a bridge asks or reports), agent reports keyed by
 * execution id (first final result wins) and cancellation. Every change is a replicated write.
 */
import { ErrorCode } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { getDoc, lockKey, saveDocs, type DocWrite, type FleetDoc } from './fleetDocs.js';
import {
  cancelExecution,
  expireLease,
  leasable,
  leaseExecution,
  MAX_OUTPUT_CHARS,
  reportResult,
  reportRunning,
  type ExecutionCore,
  type ExecutionResult,
  type LeasedWork,
  type ReportOutcome,
} from './sharedFleet.js';
import { buildWork, DocCache } from './workPayload.js';

export interface BridgeRef {
  orgId: string;
  bridgeId: string;
}

export type AgentEvent =
  | { type: 'running'; deviceId: string; executionId: string; attempt: number }
  | { type: 'result'; deviceId: string; result: ExecutionResult };

interface Row {
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
}
const toDoc = (r: Row): FleetDoc => ({ id: r.id, orgId: r.org_id, data: r.data, deleted: r.deleted });
const asCore = (d: FleetDoc) => d.data as unknown as ExecutionCore & Record<string, unknown>;

/**
 * The device must be an enrolled, unrevoked agent of this bridge. Serializes operations on one
 * device (lease, reports) with a transaction-scoped advisory lock, so heartbeats, which touch
 * the credential rows of every agent at once, never wait behind them.
 */
export async function lockAgent(c: DbClient, bridge: BridgeRef, deviceId: string): Promise<void> {
  const res = await c.query(
    `SELECT 1 FROM agent_credentials k JOIN documents d ON d.collection = 'devices' AND d.id = k.device_id AND NOT d.deleted
     WHERE k.device_id = $1 AND k.org_id = $2 AND k.bridge_id = $3 AND k.revoked_at IS NULL`,
    [deviceId, bridge.orgId, bridge.bridgeId],
  );
  if (res.rowCount === 0) throw new AppError(ErrorCode.NOT_FOUND, `no enrolled agent ${deviceId} on this bridge`);
  await lockKey(c, `agent:${deviceId}`);
}

async function executionsWhere(
  c: DbClient,
  orgId: string,
  clause: string,
  params: unknown[],
  lock: boolean,
): Promise<FleetDoc[]> {
  const res = await c.query<Row>(
    `SELECT id, org_id, data, deleted FROM documents
     WHERE collection = 'tasks' AND org_id = $1 AND NOT deleted AND data->>'kind' = 'execution' AND ${clause}
     ORDER BY data->>'createdAt', id${lock ? ' FOR UPDATE' : ''}`,
    [orgId, ...params],
  );
  return res.rows.map(toDoc);
}

export function deviceExecutions(
  c: DbClient,
  orgId: string,
  deviceId: string,
  states: string[],
  lock = false,
): Promise<FleetDoc[]> {
  return executionsWhere(c, orgId, `data->>'deviceId' = $2 AND data->>'state' = ANY($3::text[])`, [deviceId, states], lock);
}

export function deploymentExecutions(
  c: DbClient,
  orgId: string,
  deploymentId: string,
  states: string[] | null,
  lock = false,
): Promise<FleetDoc[]> {
  return executionsWhere(
    c,
    orgId,
    `data->>'deploymentId' = $2 AND ($3::text[] IS NULL OR data->>'state' = ANY($3::text[]))`,
    [deploymentId, states],
    lock,
  );
}

export function taskExecutions(
  c: DbClient,
  orgId: string,
  taskId: string,
  states: string[] | null,
  lock = false,
): Promise<FleetDoc[]> {
  return executionsWhere(
    c,
    orgId,
    `data->>'taskId' = $2 AND ($3::text[] IS NULL OR data->>'state' = ANY($3::text[]))`,
    [taskId, states],
    lock,
  );
}

/**
 * Leases whose time ran out go back to the queue (or end timed out): at-least-once delivery.
 * Returns the deployments whose counts changed.
 */
export async function sweepExpiredLeases(
  c: DbClient,
  orgId: string,
  deviceIds: string[] | null,
  nowMs = Date.now(),
): Promise<Set<string>> {
  const res = await c.query<Row>(
    `SELECT id, org_id, data, deleted FROM documents
     WHERE collection = 'tasks' AND org_id = $1 AND NOT deleted AND data->>'kind' = 'execution'
       AND data->>'state' IN ('leased', 'running') AND data->>'leaseExpiresAt' < $2
       AND ($3::text[] IS NULL OR data->>'deviceId' = ANY($3::text[]))
     FOR UPDATE SKIP LOCKED`,
    [orgId, new Date(nowMs).toISOString(), deviceIds],
  );
  const writes: DocWrite[] = [];
  const touched = new Set<string>();
  for (const r of res.rows) {
    const doc = toDoc(r);
    const next = expireLease(asCore(doc), nowMs);
    if (!next) continue;
    writes.push({ id: doc.id, orgId, previous: doc.data, next: { ...next, message: 'the lease expired without a result' } });
    if (doc.data.deploymentId) touched.add(String(doc.data.deploymentId));
  }
  await saveDocs(c, 'tasks', writes);
  return touched;
}

/** Deployments whose queued work may not be handed out now (paused, rolled back, cancelled). */
async function heldDeployments(c: DbClient, execs: FleetDoc[]): Promise<Set<string>> {
  const ids = [...new Set(execs.map((e) => e.data.deploymentId).filter((d): d is string => typeof d === 'string'))];
  const held = new Set<string>();
  for (const id of ids) {
    const dep = await getDoc(c, 'deployments', id);
    if (!dep || dep.deleted || dep.data.state !== 'running') held.add(id);
  }
  return held;
}

function failUnrunnable(exec: FleetDoc, problem: string, nowMs: number): DocWrite {
  return {
    id: exec.id,
    orgId: exec.orgId,
    previous: exec.data,
    next: {
      ...exec.data,
      state: 'failed',
      outcome: 'error',
      message: `cannot run: ${problem}`.slice(0, 500),
      finishedAt: new Date(nowMs).toISOString(),
    },
  };
}

/** The next piece of work for a device: its unfinished lease again, else the oldest leasable queued execution. */
export async function leaseFor(
  db: Db,
  bridge: BridgeRef,
  deviceId: string,
  graceSeconds: number,
): Promise<{ work: LeasedWork | null; touched: Set<string> }> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    await lockAgent(c, bridge, deviceId);
    const nowMs = Date.now();
    const touched = await sweepExpiredLeases(c, bridge.orgId, [deviceId], nowMs);
    const cache = new DocCache(c);
    const active = await deviceExecutions(c, bridge.orgId, deviceId, ['leased', 'running']);
    for (const exec of active) {
      const built = await buildWork(cache, exec);
      if ('work' in built) return { work: built.work, touched };
    }
    // Candidates are read without locks; only the one handed out is locked (and re-checked), so
    // a lease never holds several rows that a cancel might be locking in another order.
    const queued = await deviceExecutions(c, bridge.orgId, deviceId, ['queued']);
    const held = await heldDeployments(c, queued);
    const failed: DocWrite[] = [];
    for (const candidate of queued) {
      if (!leasable(asCore(candidate), nowMs) || held.has(String(candidate.data.deploymentId))) continue;
      const exec = await getDoc(c, 'tasks', candidate.id, true);
      if (!exec || exec.deleted || !leasable(asCore(exec), nowMs)) continue;
      const built = await buildWork(cache, exec);
      if ('problem' in built) {
        failed.push(failUnrunnable(exec, built.problem, nowMs));
        if (exec.data.deploymentId) touched.add(String(exec.data.deploymentId));
        continue;
      }
      const next = { ...leaseExecution(asCore(exec), nowMs, graceSeconds), leasedAt: new Date(nowMs).toISOString() };
      await saveDocs(c, 'tasks', [...failed, { id: exec.id, orgId: exec.orgId, previous: exec.data, next }]);
      return { work: built.work, touched };
    }
    await saveDocs(c, 'tasks', failed);
    return { work: null, touched };
  });
}

/** Queued work of every agent of this bridge, so the bridge can still hand it out while the server is unreachable. */
export async function prefetchWork(
  db: Db,
  bridge: BridgeRef,
): Promise<{ items: { deviceId: string; notBefore?: string; work: LeasedWork }[]; touched: Set<string> }> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    const devices = await c.query<{ device_id: string }>(
      'SELECT device_id FROM agent_credentials WHERE org_id = $1 AND bridge_id = $2 AND revoked_at IS NULL',
      [bridge.orgId, bridge.bridgeId],
    );
    const ids = devices.rows.map((r) => r.device_id);
    if (ids.length === 0) return { items: [], touched: new Set<string>() };
    const touched = await sweepExpiredLeases(c, bridge.orgId, ids);
    const queued = await executionsWhere(
      c,
      bridge.orgId,
      `data->>'state' = 'queued' AND data->>'deviceId' = ANY($2::text[])`,
      [ids],
      false,
    );
    const held = await heldDeployments(c, queued);
    const cache = new DocCache(c);
    const items: { deviceId: string; notBefore?: string; work: LeasedWork }[] = [];
    for (const exec of queued) {
      if (held.has(String(exec.data.deploymentId))) continue;
      const built = await buildWork(cache, exec);
      if ('work' in built)
        items.push({
          deviceId: String(exec.data.deviceId),
          ...(exec.data.notBefore ? { notBefore: String(exec.data.notBefore) } : {}),
          work: built.work,
        });
    }
    return { items, touched };
  });
}

const tail = (s: string) => (s.length > MAX_OUTPUT_CHARS ? s.slice(s.length - MAX_OUTPUT_CHARS) : s);

/**
 * Agent reports, each in its own transaction: `running`, then a result keyed by execution id.
 * Every delivery is recorded in execution_receipts with what became of it.
 */
export async function ingestEvent(
  db: Db,
  bridge: BridgeRef,
  event: AgentEvent,
  via: 'online' | 'outbox',
  graceSeconds: number,
): Promise<{ outcome: ReportOutcome; deploymentId?: string; changed: boolean }> {
  return withScope(db, { all: false, orgIds: [bridge.orgId] }, async (c) => {
    await lockAgent(c, bridge, event.deviceId);
    const executionId = event.type === 'running' ? event.executionId : event.result.executionId;
    const attempt = event.type === 'running' ? event.attempt : event.result.attempt;
    const nowMs = Date.now();
    const exec = await getDoc(c, 'tasks', executionId, true);
    const receipt = (outcome: ReportOutcome) =>
      c.query(
        'INSERT INTO execution_receipts (org_id, execution_id, attempt, kind, outcome, via) VALUES ($1, $2, $3, $4, $5, $6)',
        [bridge.orgId, executionId, attempt, event.type, outcome, via],
      );
    if (
      !exec ||
      exec.deleted ||
      exec.orgId !== bridge.orgId ||
      exec.data.kind !== 'execution' ||
      exec.data.deviceId !== event.deviceId
    ) {
      await receipt('stale');
      return { outcome: 'stale' as const, changed: false };
    }
    let current = exec.data;
    const expired = expireLease(asCore(exec), nowMs);
    if (expired) current = { ...expired, message: 'the lease expired without a result' };
    const decided =
      event.type === 'running'
        ? reportRunning(current as unknown as ExecutionCore, attempt, nowMs, graceSeconds)
        : reportResult(current as unknown as ExecutionCore, event.result, nowMs);
    let next: Record<string, unknown> | null = decided.next ? { ...decided.next } : expired ? current : null;
    if (decided.next && event.type === 'result') {
      const r = event.result;
      next = { ...next, exitCode: r.exitCode, stdout: tail(r.stdout), stderr: tail(r.stderr) };
      if (r.message) next.message = r.message.slice(0, 500);
      else delete next.message;
    }
    if (next) await saveDocs(c, 'tasks', [{ id: exec.id, orgId: exec.orgId, previous: exec.data, next }]);
    await receipt(decided.outcome);
    return {
      outcome: decided.outcome,
      changed: !!next,
      ...(exec.data.deploymentId ? { deploymentId: String(exec.data.deploymentId) } : {}),
    };
  });
}

/** The writes that cancel these executions (the non-final ones). */
export function cancelWrites(execs: FleetDoc[], actor: string, reason: string): DocWrite[] {
  const nowMs = Date.now();
  const writes: DocWrite[] = [];
  for (const e of execs) {
    const next = cancelExecution(asCore(e), nowMs);
    if (next)
      writes.push({ id: e.id, orgId: e.orgId, previous: e.data, next: { ...next, message: reason.slice(0, 500) }, actor });
  }
  return writes;
}

/** Cancels these executions (non-final ones); returns how many changed. */
export async function cancelExecutions(c: DbClient, execs: FleetDoc[], actor: string, reason: string): Promise<number> {
  return saveDocs(c, 'tasks', cancelWrites(execs, actor, reason));
}
