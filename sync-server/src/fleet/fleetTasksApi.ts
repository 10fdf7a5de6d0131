/** Fleet API: task status, task and execution cancel, execution receipts. */
import type { Router } from 'express';
import { ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { authOf } from '../auth/middleware.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { cancelExecutions, taskExecutions } from './executionService.js';
import { need, orgScope, type FleetApiContext } from './fleetApiCommon.js';
import { getDoc, saveDocs, type FleetDoc } from './fleetDocs.js';
import { emptyCounts, type ExecutionState, type StateCounts } from './sharedFleet.js';

const countStates = (docs: FleetDoc[]): StateCounts => {
  const counts = emptyCounts();
  for (const d of docs) counts[d.data.state as ExecutionState] += 1;
  return counts;
};

/** Task and execution routes. */
export function registerTaskRoutes(router: Router, ctx: FleetApiContext): void {
  const { db, auth, readable } = ctx;

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
}
