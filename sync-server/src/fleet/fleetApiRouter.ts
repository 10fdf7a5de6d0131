/**
 * The fleet API for people and the PWA: enrollment secrets, device history and revocation,
 * group preview and members, task and deployment status (counts per state and per wave),
 * pause / resume / rollback, cancel, on-demand installs of available software, a dashboard.
 * Documents themselves (devices, groups, tasks, deployments, catalog) are read and written
 * through sync and the generic REST collections API, under the same write rules.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  can,
  DEVICE_ONLINE_SECONDS,
  ErrorCode,
  newId,
  type Capability,
  type CollectionName,
  type Principal,
} from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { dbScopeFor } from '../sync/readScope.js';
import { newEnrollmentSecret, secretHash } from './agentSecrets.js';
import { cancelExecutions, taskExecutions } from './executionService.js';
import { executionId, getDoc, listDocs, saveDocs, type FleetDoc } from './fleetDocs.js';
import { findGroup, loadGroups, subjectOf } from './groupMembership.js';
import { waveCounts, type DeploymentDriver } from './rolloutService.js';
import {
  emptyCounts,
  evaluateRule,
  groupRuleSchema,
  isMember,
  PREDEFINED_GROUPS,
  ruleProblems,
  type ExecutionState,
  type StateCounts,
} from './sharedFleet.js';

const orgQuery = z.object({ orgId: z.string().uuid() });
const secretSchema = z
  .object({
    orgId: z.string().uuid(),
    label: z.string().trim().max(120).default(''),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    bridgeId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .strict();
const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});
const previewSchema = z
  .object({ orgId: z.string().uuid(), rule: groupRuleSchema, limit: z.number().int().min(1).max(1000).default(200) })
  .strict();

function need(principal: Principal, cap: Capability, orgId: string): void {
  if (!can(principal, cap, { orgId })) throw new AppError(ErrorCode.FORBIDDEN, `you need ${cap} in this organization`);
}

const countStates = (docs: FleetDoc[]): StateCounts => {
  const counts = emptyCounts();
  for (const d of docs) counts[d.data.state as ExecutionState] += 1;
  return counts;
};

export function createFleetApiRouter(deps: AuthDeps & { driver: DeploymentDriver }): Router {
  const { db, driver } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  /** A document the principal may read (else 404, the same as missing). */
  async function readable(req: Request, kind: CollectionName, id: string): Promise<FleetDoc> {
    const { principal } = authOf(req);
    const doc = await withScope(db, dbScopeFor(principal, kind), (c) => getDoc(c, kind, id));
    if (
      !doc ||
      doc.deleted ||
      !can(principal, `${kind}.read`, { orgId: doc.orgId, createdBy: (doc.data.createdBy as string | undefined) ?? null })
    ) {
      throw new AppError(ErrorCode.NOT_FOUND, `no ${kind} document ${id}`);
    }
    return doc;
  }
  const orgScope = (orgId: string) => ({ all: false, orgIds: [orgId] });

  // --- enrollment ---------------------------------------------------------------------------
  router.post('/api/fleet/enrollment-secrets', auth, async (req, res) => {
    const body = parseBody(secretSchema, req.body);
    need(authOf(req).principal, 'devices.create', body.orgId);
    const secret = newEnrollmentSecret();
    const id = newId();
    const row = await withScope(db, orgScope(body.orgId), (c) =>
      c.query<{ expires_at: Date }>(
        `INSERT INTO agent_enrollment_secrets (id, org_id, secret_hash, label, bridge_id, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) RETURNING expires_at`,
        [
          id,
          body.orgId,
          secretHash(secret),
          body.label,
          body.bridgeId ?? null,
          authOf(req).principal.userId,
          body.expiresInHours,
        ],
      ),
    );
    await auditFromRequest(db, req, {
      action: 'agent.enrollment_secret_created',
      orgId: body.orgId,
      target: `enrollment:${id}`,
      details: { label: body.label, bridgeId: body.bridgeId ?? null },
    });
    // Shown once: only its SHA-256 is stored.
    res
      .status(201)
      .json({ id, secret, label: body.label, bridgeId: body.bridgeId ?? null, expiresAt: row.rows[0]!.expires_at.toISOString() });
  });

  router.get('/api/fleet/enrollment-secrets', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    need(authOf(req).principal, 'devices.create', orgId);
    const rows = await withScope(db, orgScope(orgId), (c) =>
      c.query(
        `SELECT id, label, bridge_id AS "bridgeId", created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt", used_by_device AS "usedByDevice"
         FROM agent_enrollment_secrets WHERE org_id = $1 ORDER BY created_at DESC LIMIT 200`,
        [orgId],
      ),
    );
    res.json({ secrets: rows.rows });
  });

  router.delete('/api/fleet/enrollment-secrets/:id', auth, async (req, res) => {
    const { principal } = authOf(req);
    const id = parseBody(z.string().uuid(), req.params.id);
    const found = await withScope(db, { all: false, orgIds: Object.keys(principal.memberships) }, (c) =>
      c.query<{ org_id: string }>('SELECT org_id FROM agent_enrollment_secrets WHERE id = $1', [id]),
    );
    const orgId = found.rows[0]?.org_id;
    if (!orgId) throw new AppError(ErrorCode.NOT_FOUND, 'no such enrollment secret');
    need(principal, 'devices.create', orgId);
    await withScope(db, orgScope(orgId), (c) =>
      c.query('UPDATE agent_enrollment_secrets SET expires_at = least(expires_at, now()) WHERE id = $1', [id]),
    );
    await auditFromRequest(db, req, { action: 'agent.enrollment_secret_revoked', orgId, target: `enrollment:${id}` });
    res.status(204).end();
  });

  // --- devices ------------------------------------------------------------------------------
  router.get('/api/devices/:id/history', auth, async (req, res) => {
    const device = await readable(req, 'devices', String(req.params.id));
    const q = parseBody(historyQuery, req.query);
    const rows = await withScope(db, orgScope(device.orgId), (c) =>
      c.query<{ id: number; at: Date; inventory_hash: string; changes: unknown }>(
        `SELECT id, at, inventory_hash, changes FROM device_inventory_history
         WHERE org_id = $1 AND device_id = $2 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
        [device.orgId, device.id, q.before ?? null, q.limit],
      ),
    );
    const entries = rows.rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      inventoryHash: r.inventory_hash,
      changes: r.changes,
    }));
    res.json({ deviceId: device.id, entries, next: entries.length === q.limit ? entries.at(-1)!.id : null });
  });

  router.post('/api/fleet/devices/:id/revoke', auth, async (req, res) => {
    const device = await readable(req, 'devices', String(req.params.id));
    need(authOf(req).principal, 'devices.update', device.orgId);
    await withScope(db, orgScope(device.orgId), (c) =>
      c.query('UPDATE agent_credentials SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL', [device.id]),
    );
    await auditFromRequest(db, req, { action: 'agent.revoked', orgId: device.orgId, target: `devices:${device.id}` });
    res.status(204).end();
  });

  // --- groups -------------------------------------------------------------------------------
  const brief = (d: FleetDoc) => ({
    id: d.id,
    name: d.data.name,
    hostname: (d.data.inventory as { hostname?: string } | undefined)?.hostname ?? null,
  });

  router.get('/api/fleet/groups/predefined', auth, (_req, res) => {
    res.json({ groups: PREDEFINED_GROUPS.map((g) => ({ id: g.id, name: g.name, description: g.description, rule: g.rule })) });
  });

  router.post('/api/fleet/groups/preview', auth, async (req, res) => {
    const body = parseBody(previewSchema, req.body);
    need(authOf(req).principal, 'devices.read', body.orgId);
    const problems = ruleProblems(body.rule);
    if (problems.length > 0) throw new AppError(ErrorCode.VALIDATION_FAILED, 'the rule cannot be evaluated', problems);
    const devices = await withScope(db, orgScope(body.orgId), (c) => listDocs(c, 'devices', body.orgId));
    const now = Date.now();
    const matches = devices.filter((d) => evaluateRule(body.rule, subjectOf(d), now));
    res.json({ count: matches.length, devices: matches.slice(0, body.limit).map(brief) });
  });

  router.get('/api/fleet/groups/:id/members', auth, async (req, res) => {
    const id = String(req.params.id);
    let orgId: string;
    if (id.startsWith('builtin:')) orgId = parseBody(orgQuery, req.query).orgId;
    else orgId = (await readable(req, 'deviceGroups', id)).orgId;
    need(authOf(req).principal, 'devices.read', orgId);
    const { devices, group } = await withScope(db, orgScope(orgId), async (c) => ({
      devices: await listDocs(c, 'devices', orgId),
      group: findGroup(await loadGroups(c, orgId), id),
    }));
    if (!group) throw new AppError(ErrorCode.NOT_FOUND, `no group ${id}`);
    const now = Date.now();
    const members = devices.filter((d) => isMember(group, subjectOf(d), now));
    res.json({ groupId: id, count: members.length, devices: members.map(brief) });
  });

  // --- tasks and executions -----------------------------------------------------------------
  const execView = (e: FleetDoc) => {
    const d = e.data;
    return {
      id: e.id,
      deviceId: d.deviceId,
      state: d.state,
      attempt: d.attempt,
      outcome: d.outcome ?? null,
      exitCode: d.exitCode ?? null,
      waveIndex: d.waveIndex ?? null,
      startedAt: d.startedAt ?? null,
      finishedAt: d.finishedAt ?? null,
      message: d.message ?? null,
    };
  };

  router.get('/api/fleet/tasks/:id/status', auth, async (req, res) => {
    const task = await readable(req, 'tasks', String(req.params.id));
    if (task.data.kind !== 'task') throw new AppError(ErrorCode.NOT_FOUND, 'not a task');
    const execs = await withScope(db, orgScope(task.orgId), (c) => taskExecutions(c, task.orgId, task.id, null));
    res.json({
      id: task.id,
      name: task.data.name,
      status: task.data.status ?? 'active',
      expandedAt: task.data.expandedAt ?? null,
      counts: countStates(execs),
      executions: execs.map(execView),
    });
  });

  router.post('/api/fleet/tasks/:id/cancel', auth, async (req, res) => {
    const task = await readable(req, 'tasks', String(req.params.id));
    const { principal } = authOf(req);
    if (task.data.kind !== 'task') throw new AppError(ErrorCode.NOT_FOUND, 'not a task');
    need(principal, 'tasks.update', task.orgId);
    const cancelled = await withScope(db, orgScope(task.orgId), async (c) => {
      const t = await getDoc(c, 'tasks', task.id, true);
      if (t && t.data.status !== 'cancelled')
        await saveDocs(c, 'tasks', [
          { id: t.id, orgId: t.orgId, previous: t.data, next: { ...t.data, status: 'cancelled' }, actor: principal.userId },
        ]);
      return cancelExecutions(
        c,
        await taskExecutions(c, task.orgId, task.id, ['queued', 'leased', 'running'], true),
        principal.userId,
        'cancelled by an operator',
      );
    });
    await auditFromRequest(db, req, {
      action: 'task.cancelled',
      orgId: task.orgId,
      target: `tasks:${task.id}`,
      details: { executions: cancelled },
    });
    res.json({ cancelled });
  });

  router.post('/api/fleet/executions/:id/cancel', auth, async (req, res) => {
    const exec = await readable(req, 'tasks', String(req.params.id));
    const { principal } = authOf(req);
    if (exec.data.kind !== 'execution') throw new AppError(ErrorCode.NOT_FOUND, 'not an execution');
    need(principal, 'tasks.update', exec.orgId);
    const cancelled = await withScope(db, orgScope(exec.orgId), async (c) =>
      cancelExecutions(c, [(await getDoc(c, 'tasks', exec.id, true))!], principal.userId, 'cancelled by an operator'),
    );
    if (cancelled === 0)
      throw new AppError(ErrorCode.INVALID_TRANSITION, `the execution already ended (${String(exec.data.state)})`);
    await auditFromRequest(db, req, { action: 'execution.cancelled', orgId: exec.orgId, target: `tasks:${exec.id}` });
    res.json({ cancelled });
  });

  router.get('/api/fleet/executions/:id/receipts', auth, async (req, res) => {
    const exec = await readable(req, 'tasks', String(req.params.id));
    const rows = await withScope(db, orgScope(exec.orgId), (c) =>
      c.query(
        'SELECT attempt, kind, outcome, via, received_at AS "receivedAt" FROM execution_receipts WHERE execution_id = $1 ORDER BY id',
        [exec.id],
      ),
    );
    res.json({ executionId: exec.id, receipts: rows.rows });
  });

  // --- deployments --------------------------------------------------------------------------
  async function deploymentStatus(dep: FleetDoc) {
    return withScope(db, orgScope(dep.orgId), async (c) => {
      const fresh = (await getDoc(c, 'deployments', dep.id))!;
      const waves = await waveCounts(c, fresh);
      const targets = await c.query<{ device_id: string; wave_index: number }>(
        'SELECT device_id, wave_index FROM deployment_targets WHERE deployment_id = $1 ORDER BY device_id',
        [dep.id],
      );
      const totals = emptyCounts();
      for (const w of waves) for (const k of Object.keys(totals) as ExecutionState[]) totals[k] += w[k];
      const d = fresh.data;
      const started = (d.waves as { index: number; startedAt?: string }[] | undefined) ?? [];
      return {
        id: fresh.id,
        name: d.name,
        intent: d.intent,
        packageId: d.packageId,
        packageVersion: d.packageVersion,
        state: d.state ?? 'pending',
        currentWave: d.currentWave ?? 0,
        waveCount: d.waveCount ?? 0,
        pausedReason: d.pausedReason ?? null,
        statusMessage: d.statusMessage ?? null,
        rollbackOf: d.rollbackOf ?? null,
        rollbackDeploymentId: d.rollbackDeploymentId ?? null,
        totals,
        waves: waves.map((counts, index) => ({
          index,
          kind: d.pilotGroupId && index === 0 ? 'pilot' : 'percentage',
          total: Object.values(counts).reduce((a, b) => a + b, 0),
          counts,
          startedAt: started.find((s) => s.index === index)?.startedAt ?? null,
          deviceIds: targets.rows.filter((t) => t.wave_index === index).map((t) => t.device_id),
        })),
      };
    });
  }

  router.get('/api/fleet/deployments/:id/status', auth, async (req, res) => {
    res.json(await deploymentStatus(await readable(req, 'deployments', String(req.params.id))));
  });

  for (const command of ['pause', 'resume', 'rollback'] as const) {
    router.post(`/api/fleet/deployments/:id/${command}`, auth, async (req, res) => {
      const dep = await readable(req, 'deployments', String(req.params.id));
      const { principal } = authOf(req);
      need(principal, 'deployments.update', dep.orgId);
      const before = dep.data.state;
      const after = await driver.command(dep.orgId, dep.id, command, principal.userId);
      if (!after || after.state === before) {
        throw new AppError(ErrorCode.INVALID_TRANSITION, `cannot ${command} a deployment that is ${String(before ?? 'pending')}`);
      }
      res.json(await deploymentStatus(dep));
    });
  }

  router.post('/api/fleet/deployments/:id/install', auth, async (req, res) => {
    const dep = await readable(req, 'deployments', String(req.params.id));
    const { principal } = authOf(req);
    need(principal, 'tasks.create', dep.orgId);
    const { deviceId } = parseBody(z.object({ deviceId: z.string().min(1).max(64) }).strict(), req.body);
    if (dep.data.intent !== 'available' || dep.data.state !== 'running')
      throw new AppError(ErrorCode.INVALID_TRANSITION, 'only a running "available" deployment installs on request');
    const id = await withScope(db, orgScope(dep.orgId), async (c) => {
      const target = await c.query('SELECT 1 FROM deployment_targets WHERE deployment_id = $1 AND device_id = $2', [
        dep.id,
        deviceId,
      ]);
      if (target.rowCount === 0) throw new AppError(ErrorCode.NOT_FOUND, 'this device is not a target of the deployment');
      const execId = executionId(dep.id, deviceId);
      const existing = await getDoc(c, 'tasks', execId, true);
      const d = dep.data;
      const fresh = {
        kind: 'execution',
        action: 'package_install',
        name: d.name,
        deploymentId: dep.id,
        waveIndex: 0,
        deviceId,
        packageId: d.packageId,
        packageVersion: d.packageVersion,
        state: 'queued',
        attempt: 1,
        maxAttempts: d.maxAttempts,
        retryBackoffSeconds: d.retryBackoffSeconds,
        timeoutSeconds: d.timeoutSeconds,
        createdAt: new Date().toISOString(),
      };
      if (existing && ['queued', 'leased', 'running'].includes(String(existing.data.state))) return execId;
      await saveDocs(c, 'tasks', [
        { id: execId, orgId: dep.orgId, previous: existing?.data, next: fresh, actor: principal.userId },
      ]);
      return execId;
    });
    res.status(202).json({ executionId: id });
  });

  // --- dashboard ----------------------------------------------------------------------------
  router.get('/api/fleet/dashboard', auth, async (req, res) => {
    const { orgId } = parseBody(orgQuery, req.query);
    need(authOf(req).principal, 'devices.read', orgId);
    const out = await withScope(db, orgScope(orgId), async (c) => {
      const devices = await listDocs(c, 'devices', orgId);
      const now = Date.now();
      const online = devices.filter(
        (d) => now - (Date.parse(String(d.data.lastSeenAt ?? '')) || 0) <= DEVICE_ONLINE_SECONDS * 1000,
      ).length;
      const groups = await loadGroups(c, orgId);
      const predefined = PREDEFINED_GROUPS.map((g) => ({
        id: g.id,
        name: g.name,
        count: devices.filter((d) => isMember(g, subjectOf(d), now)).length,
      }));
      const states = await c.query<{ state: ExecutionState; n: number }>(
        "SELECT data->>'state' AS state, count(*)::int AS n FROM documents WHERE collection = 'tasks' AND org_id = $1 AND NOT deleted AND data->>'kind' = 'execution' GROUP BY 1",
        [orgId],
      );
      const executions = emptyCounts();
      for (const r of states.rows) executions[r.state] = r.n;
      const deps = await listDocs(c, 'deployments', orgId);
      return {
        devices: { total: devices.length, online, offline: devices.length - online, groups: groups.length, predefined },
        executions,
        deployments: deps.slice(-50).map((d) => ({
          id: d.id,
          name: d.data.name,
          state: d.data.state ?? 'pending',
          currentWave: d.data.currentWave ?? 0,
          waveCount: d.data.waveCount ?? 0,
          waves: d.data.waves ?? [],
        })),
      };
    });
    res.json(out);
  });

  return router;
}
