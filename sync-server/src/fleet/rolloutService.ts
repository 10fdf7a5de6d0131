/**
 * Drives deployments with the pure rollout machine (shared/src/fleet/rollout.ts): starts them
 * (targets snapshotted into waves), re-evaluates after every result, and carries out what the
 * machine decides (start a wave, pause, complete, cancel pending work, create the rollback).
 */
import type { Logger } from 'pino';
import { isUuid } from '@fleetsync/shared';
import type { Db, DbClient } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { audit } from '../audit/auditLog.js';
import { Coalescer } from './coalesce.js';
import { executionId, getDoc, lockKey, saveDocs, type DocWrite, type FleetDoc } from './fleetDocs.js';
import { cancelExecutions, cancelWrites, deploymentExecutions } from './executionService.js';
import { loadGroups, findGroup, resolveTargets, subjectOf } from './groupMembership.js';
import { listDocs } from './fleetDocs.js';
import {
  emptyCounts,
  isMember,
  planWaves,
  startRollout,
  stepRollout,
  type ExecutionState,
  type RolloutAction,
  type RolloutConfig,
  type RolloutEvent,
  type RolloutState,
  type StateCounts,
} from './sharedFleet.js';
import { findVersion } from './workPayload.js';

export type DeploymentCommand = 'evaluate' | 'pause' | 'resume' | 'rollback';

const configOf = (d: Record<string, unknown>): RolloutConfig => ({
  waveCount: Number(d.waveCount ?? 0),
  failureThreshold: Number(d.failureThreshold),
  minSample: Number(d.minSample),
  successThreshold: Number(d.successThreshold),
});

const stateOf = (d: Record<string, unknown>): RolloutState => ({
  status: d.state as RolloutState['status'],
  currentWave: Number(d.currentWave ?? 0),
  ...(d.pausedReason ? { pausedReason: d.pausedReason as RolloutState['pausedReason'] } : {}),
  ...(d.acknowledgedWave !== undefined ? { acknowledgedWave: Number(d.acknowledgedWave) } : {}),
});

/**
 * Counts per wave: planned devices without an execution yet count as queued; `pending` are
 * execution writes of this transaction not saved yet (they are saved last, see driveDeployment).
 */
export async function waveCounts(c: DbClient, dep: FleetDoc, pending: readonly DocWrite[] = []): Promise<StateCounts[]> {
  const targets = await c.query<{ device_id: string; wave_index: number }>(
    'SELECT device_id, wave_index FROM deployment_targets WHERE deployment_id = $1',
    [dep.id],
  );
  const execs = await deploymentExecutions(c, dep.orgId, dep.id, null);
  const stateByDevice = new Map(execs.map((e) => [String(e.data.deviceId), e.data.state as ExecutionState]));
  for (const w of pending)
    if (w.next.deploymentId === dep.id) stateByDevice.set(String(w.next.deviceId), w.next.state as ExecutionState);
  const waves = Array.from({ length: Number(dep.data.waveCount ?? 0) }, emptyCounts);
  for (const t of targets.rows) {
    const w = waves[t.wave_index];
    if (w) w[stateByDevice.get(t.device_id) ?? 'queued'] += 1;
  }
  return waves;
}

async function waveExecutionWrites(c: DbClient, dep: FleetDoc, wave: number, waveStartedAt: string): Promise<DocWrite[]> {
  const d = dep.data;
  const targets = await c.query<{ device_id: string }>(
    'SELECT device_id FROM deployment_targets WHERE deployment_id = $1 AND wave_index = $2 ORDER BY device_id',
    [dep.id, wave],
  );
  const ids = targets.rows.map((t) => executionId(dep.id, t.device_id));
  const existing = new Set(
    (
      await c.query<{ id: string }>("SELECT id FROM documents WHERE collection = 'tasks' AND id = ANY($1::text[])", [ids])
    ).rows.map((r) => r.id),
  );
  const writes: DocWrite[] = targets.rows
    .filter((t) => !existing.has(executionId(dep.id, t.device_id)))
    .map((t) => ({
      id: executionId(dep.id, t.device_id),
      orgId: dep.orgId,
      actor: String(d.createdBy ?? 'system:fleet'),
      next: {
        kind: 'execution',
        action: d.intent === 'uninstall' ? 'package_uninstall' : 'package_install',
        name: String(d.name),
        deploymentId: dep.id,
        waveIndex: wave,
        deviceId: t.device_id,
        packageId: d.packageId,
        packageVersion: d.packageVersion,
        state: 'queued',
        attempt: 1,
        maxAttempts: d.maxAttempts,
        retryBackoffSeconds: d.retryBackoffSeconds,
        timeoutSeconds: d.timeoutSeconds,
        createdAt: waveStartedAt,
      },
    }));
  return writes;
}

function waveSummaries(counts: StateCounts[], previous: unknown, startedWaves: Map<number, string>) {
  const prev = (previous as { index: number; startedAt?: string }[] | undefined) ?? [];
  return counts.map((w, index) => {
    const startedAt = startedWaves.get(index) ?? prev.find((p) => p.index === index)?.startedAt;
    const total = Object.values(w).reduce((a, b) => a + b, 0);
    return { index, total, ...w, ...(startedAt ? { startedAt } : {}) };
  });
}

interface Followup {
  /** Writes saved at the end of the transaction, so the sequence-counter lock is held only briefly. */
  tasks: DocWrite[];
  deployments: DocWrite[];
  audits: { action: string; orgId: string; target: string; details: Record<string, unknown>; actorId?: string | null }[];
  startDeployments: string[];
}

/** Starts a new deployment: checks the package, snapshots targets into waves, starts wave 0. */
async function startDeployment(c: DbClient, dep: FleetDoc, follow: Followup): Promise<Record<string, unknown>> {
  const d = dep.data;
  const now = new Date().toISOString();
  const pkg = await getDoc(c, 'catalog', String(d.packageId));
  const version = findVersion(pkg, String(d.packageVersion));
  const invalid = (message: string) => ({ ...d, state: 'invalid', statusMessage: message, waveCount: 0, currentWave: 0 });
  if (!version)
    return invalid(`package ${String(d.packageId)} version ${String(d.packageVersion)} (linux) is not in the catalog`);
  if (d.intent === 'uninstall' && !version.uninstallScript) return invalid(`version ${version.version} has no uninstall script`);
  const targets = await resolveTargets(c, dep.orgId, (d.targetDeviceIds as string[]) ?? [], (d.targetGroupIds as string[]) ?? []);
  let pilot: string[] = [];
  if (d.pilotGroupId) {
    const groups = await loadGroups(c, dep.orgId);
    const group = findGroup(groups, String(d.pilotGroupId));
    const devices = await listDocs(c, 'devices', dep.orgId);
    pilot = group ? devices.filter((x) => isMember(group, subjectOf(x), Date.now())).map((x) => x.id) : [];
  }
  const waves = d.intent === 'available' ? [targets] : planWaves(dep.id, targets, pilot, d.wavePercents as number[]);
  await c.query('DELETE FROM deployment_targets WHERE deployment_id = $1', [dep.id]);
  await c.query(
    `INSERT INTO deployment_targets (org_id, deployment_id, device_id, wave_index)
     SELECT $1, $2, t.device_id, t.wave_index FROM jsonb_to_recordset($3::jsonb) AS t(device_id text, wave_index int)`,
    [dep.orgId, dep.id, JSON.stringify(waves.flatMap((w, i) => w.map((device_id) => ({ device_id, wave_index: i }))))],
  );
  const base = { ...d, waveCount: waves.length, currentWave: 0, startedAt: now };
  follow.audits.push({
    action: 'deployment.started',
    orgId: dep.orgId,
    target: `deployments:${dep.id}`,
    details: { targets: targets.length, waves: waves.map((w) => w.length) },
  });
  if (d.intent === 'available') {
    // Offered, not pushed: an install is requested per device (POST /api/fleet/deployments/:id/install).
    return { ...base, state: 'running', statusMessage: 'available: installs run when requested' };
  }
  const decision = startRollout(configOf(base));
  if (decision.state.status === 'invalid') return invalid('the rollout configuration is not valid');
  return { ...base, state: decision.state.status };
}

async function applyActions(
  c: DbClient,
  dep: FleetDoc,
  data: Record<string, unknown>,
  actions: RolloutAction[],
  actor: string,
  follow: Followup,
  started: Map<number, string>,
) {
  for (const a of actions) {
    if (a.type === 'start_wave') {
      const at = new Date().toISOString();
      started.set(a.wave, at);
      follow.tasks.push(...(await waveExecutionWrites(c, { ...dep, data }, a.wave, at)));
      follow.audits.push({
        action: 'deployment.wave_started',
        orgId: dep.orgId,
        target: `deployments:${dep.id}`,
        details: { wave: a.wave },
      });
    } else if (a.type === 'paused') {
      data.statusMessage =
        a.reason === 'failure_threshold'
          ? `paused automatically: wave ${a.wave} failure ratio ${(a.failureRatio * 100).toFixed(0)}% reached the threshold of ${(Number(data.failureThreshold) * 100).toFixed(0)}%`
          : 'paused by an operator';
      follow.audits.push({
        action: a.reason === 'failure_threshold' ? 'deployment.auto_paused' : 'deployment.paused',
        orgId: dep.orgId,
        target: `deployments:${dep.id}`,
        details: { wave: a.wave, failureRatio: a.failureRatio },
        actorId: a.reason === 'manual' ? actor : null,
      });
    } else if (a.type === 'resumed') {
      data.statusMessage = 'resumed';
      follow.audits.push({
        action: 'deployment.resumed',
        orgId: dep.orgId,
        target: `deployments:${dep.id}`,
        details: { wave: a.wave },
        actorId: actor,
      });
    } else if (a.type === 'completed') {
      data.completedAt = new Date().toISOString();
      data.statusMessage = 'completed';
    } else if (a.type === 'cancel_pending') {
      const pending = await deploymentExecutions(c, dep.orgId, dep.id, ['queued', 'leased', 'running'], true);
      const reason = data.state === 'rolled_back' ? 'the deployment was rolled back' : 'the deployment was cancelled';
      follow.tasks.push(...cancelWrites(pending, actor, reason));
    } else if (a.type === 'create_rollback') {
      const ran = await deploymentExecutions(c, dep.orgId, dep.id, ['succeeded', 'failed', 'timed_out']);
      const id = executionId(`rollback:${dep.id}`, 'deployment');
      const intent = data.intent === 'uninstall' ? 'required' : data.rollbackVersion ? 'required' : 'uninstall';
      const version = data.intent === 'uninstall' ? data.packageVersion : (data.rollbackVersion ?? data.packageVersion);
      follow.deployments.push({
        id,
        orgId: dep.orgId,
        actor,
        next: {
          name: `Rollback: ${String(data.name)}`.slice(0, 200),
          packageId: data.packageId,
          packageVersion: version,
          intent,
          targetDeviceIds: [...new Set(ran.map((e) => String(e.data.deviceId)))].sort(),
          targetGroupIds: [],
          wavePercents: [100],
          failureThreshold: 1,
          minSample: 1,
          successThreshold: 1,
          maxAttempts: data.maxAttempts,
          retryBackoffSeconds: data.retryBackoffSeconds,
          timeoutSeconds: data.timeoutSeconds,
          rollbackOf: dep.id,
        },
      });
      data.rollbackDeploymentId = id;
      data.statusMessage = `rolled back: ${intent === 'uninstall' ? 'uninstalling' : `installing ${String(version)}`} on ${new Set(ran.map((e) => e.data.deviceId)).size} devices`;
      follow.audits.push({
        action: 'deployment.rolled_back',
        orgId: dep.orgId,
        target: `deployments:${dep.id}`,
        details: { rollbackDeploymentId: id },
        actorId: actor,
      });
      follow.startDeployments.push(id);
    }
  }
}

/**
 * One step for one deployment, serialized per deployment across instances: start it if new,
 * else feed the machine the current counts (or an operator's command) and carry out its actions.
 */
export async function driveDeployment(
  db: Db,
  log: Logger,
  orgId: string,
  deploymentId: string,
  command: DeploymentCommand,
  actor = 'system:fleet',
): Promise<Record<string, unknown> | null> {
  const follow: Followup = { tasks: [], deployments: [], audits: [], startDeployments: [] };
  const result = await withScope(db, { all: false, orgIds: [orgId] }, async (c) => {
    await lockKey(c, `deployment:${deploymentId}`);
    const dep = await getDoc(c, 'deployments', deploymentId, true);
    if (!dep || dep.orgId !== orgId) return null;
    if (dep.deleted) {
      const pending = await deploymentExecutions(c, orgId, dep.id, ['queued', 'leased', 'running'], true);
      await cancelExecutions(c, pending, actor, 'the deployment was deleted');
      return null;
    }
    let data: Record<string, unknown> = { ...dep.data };
    const started = new Map<number, string>();
    if (!data.state) {
      data = await startDeployment(c, dep, follow);
      if (data.state === 'running' && data.intent !== 'available')
        await applyActions(c, dep, data, [{ type: 'start_wave', wave: 0 }], actor, follow, started);
    }
    const available = data.intent === 'available';
    if (data.state !== 'invalid' && !(available && command !== 'rollback')) {
      const waves = await waveCounts(c, { ...dep, data }, follow.tasks);
      const event: RolloutEvent =
        command === 'resume'
          ? { type: 'resume', waves }
          : command === 'evaluate'
            ? { type: 'evaluate', waves }
            : { type: command };
      const decision = stepRollout(stateOf(data), configOf(data), event);
      data = { ...data, state: decision.state.status, currentWave: decision.state.currentWave };
      delete data.pausedReason;
      delete data.acknowledgedWave;
      if (decision.state.pausedReason && decision.state.status === 'paused') data.pausedReason = decision.state.pausedReason;
      if (decision.state.acknowledgedWave !== undefined) data.acknowledgedWave = decision.state.acknowledgedWave;
      await applyActions(c, dep, data, decision.actions, actor, follow, started);
    }
    if (data.state !== 'invalid')
      data.waves = waveSummaries(await waveCounts(c, { ...dep, data }, follow.tasks), dep.data.waves, started);
    await saveDocs(c, 'tasks', follow.tasks);
    await saveDocs(c, 'deployments', [
      ...follow.deployments,
      { id: dep.id, orgId, previous: dep.data, next: data, actor: command === 'evaluate' ? 'system:fleet' : actor },
    ]);
    return data;
  });
  for (const a of follow.audits) {
    const actorId = a.actorId && isUuid(a.actorId) ? a.actorId : null;
    await audit(db, {
      actorId,
      actorLabel: actorId ? null : 'fleet rollout',
      orgId: a.orgId,
      action: a.action,
      target: a.target,
      details: a.details,
    }).catch((err: unknown) => log.warn({ err }, 'could not audit a rollout event'));
  }
  for (const id of follow.startDeployments) await driveDeployment(db, log, orgId, id, 'evaluate', actor);
  return result;
}

/** Deployment evaluation for one server instance: result-driven evaluations of one deployment are coalesced. */
export class DeploymentDriver {
  private readonly coalescer = new Coalescer();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  evaluate(orgId: string, deploymentId: string): Promise<void> {
    return this.coalescer.run(`${orgId}:${deploymentId}`, async () => {
      await driveDeployment(this.db, this.log, orgId, deploymentId, 'evaluate');
    });
  }

  /** An operator's pause, resume or rollback: run as asked, never merged with another. */
  command(orgId: string, deploymentId: string, command: Exclude<DeploymentCommand, 'evaluate'>, actor: string) {
    return driveDeployment(this.db, this.log, orgId, deploymentId, command, actor);
  }
}
