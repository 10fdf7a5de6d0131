/** Fleet API: deployment status, pause / resume / rollback, on-demand installs. */
import type { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import { authOf } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { need, orgScope, type FleetApiContext } from './fleetApiCommon.js';
import { executionId, getDoc, saveDocs, type FleetDoc } from './fleetDocs.js';
import { waveCounts } from './rolloutService.js';
import { emptyCounts, type ExecutionState } from './sharedFleet.js';

/** Deployment routes. */
export function registerDeploymentRoutes(router: Router, ctx: FleetApiContext): void {
  const { db, driver, auth, readable } = ctx;

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
}
