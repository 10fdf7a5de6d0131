/**
 * Turns what people wrote into work, whatever path it came by (REST, sync push, another
 * instance): expands new tasks into one execution per target device, cancels the executions of
 * cancelled or deleted tasks, starts new deployments and re-drives running ones, and refreshes
 * group membership after a group changed. Triggered by change notices (every instance hears
 * every change); runs per org, coalescing bursts; idempotent (deterministic execution ids,
 * per-task and per-deployment locks), so two instances doing it at once create nothing twice.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { executionId, getDoc, lockKey, saveDocs, type DocWrite } from './fleetDocs.js';
import { cancelExecutions, taskExecutions } from './executionService.js';
import { refreshOrgMemberships, resolveTargets } from './groupMembership.js';
import type { DeploymentDriver } from './rolloutService.js';
import { TASK_DEFAULTS } from '@fleetsync/shared';

/** Expands one task (once: `expandedAt` marks it), or cancels its executions when it was cancelled or deleted. */
export async function reconcileTask(db: Db, orgId: string, taskId: string): Promise<void> {
  await withScope(db, { all: false, orgIds: [orgId] }, async (c) => {
    await lockKey(c, `task:${taskId}`);
    const task = await getDoc(c, 'tasks', taskId, true);
    if (!task || task.data.kind !== 'task') return;
    const t = task.data;
    if (task.deleted || t.status === 'cancelled') {
      const pending = await taskExecutions(c, orgId, taskId, ['queued', 'leased', 'running'], true);
      await cancelExecutions(
        c,
        pending,
        String(t.updatedBy ?? 'system:fleet'),
        task.deleted ? 'the task was deleted' : 'the task was cancelled',
      );
      return;
    }
    if (t.expandedAt) return;
    const targets = await resolveTargets(c, orgId, (t.targetDeviceIds as string[]) ?? [], (t.targetGroupIds as string[]) ?? []);
    const now = new Date().toISOString();
    const writes: DocWrite[] = targets.map((deviceId) => ({
      id: executionId(taskId, deviceId),
      orgId,
      actor: String(t.createdBy ?? 'system:fleet'),
      next: {
        kind: 'execution',
        action: t.action,
        name: t.name,
        taskId,
        deviceId,
        ...(t.packageId ? { packageId: t.packageId, packageVersion: t.packageVersion } : {}),
        state: 'queued',
        attempt: 1,
        maxAttempts: t.maxAttempts ?? TASK_DEFAULTS.maxAttempts,
        retryBackoffSeconds: t.retryBackoffSeconds ?? TASK_DEFAULTS.retryBackoffSeconds,
        timeoutSeconds: t.timeoutSeconds ?? TASK_DEFAULTS.timeoutSeconds,
        createdAt: now,
      },
    }));
    const existing = new Set(
      (
        await c.query<{ id: string }>("SELECT id FROM documents WHERE collection = 'tasks' AND id = ANY($1::text[])", [
          writes.map((w) => w.id),
        ])
      ).rows.map((r) => r.id),
    );
    await saveDocs(
      c,
      'tasks',
      writes.filter((w) => !existing.has(w.id)),
    );
    await saveDocs(c, 'tasks', [
      { id: taskId, orgId, previous: t, next: { ...t, expandedAt: now, targetCount: targets.length } },
    ]);
  });
}

const SWEEP_RUNNING_MS = 10_000;
/** Bursts of change notices (every execution write is one) are coalesced for this long. */
const COALESCE_MS = 25;
const POKE_MS = 5_000;

export class FleetReconciler {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly groupsChanged = new Set<string>();
  /** Running deployments are driven by results; the reconciler re-drives them only this often, as a safety net. */
  private readonly lastSweep = new Map<string, number>();
  private readonly lastPoke = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly driver: DeploymentDriver,
  ) {}

  /** A change notice: which org, which collection. */
  notice(orgId: string, collection: string): void {
    if (collection === 'deviceGroups') this.groupsChanged.add(orgId);
    if (!['tasks', 'deployments', 'deviceGroups'].includes(collection)) return;
    this.schedule(orgId);
  }

  /** A safety net for notices missed (e.g. while this instance was down): at most every few seconds per org. */
  poke(orgId: string): void {
    const last = this.lastPoke.get(orgId) ?? 0;
    if (Date.now() - last < POKE_MS) return;
    this.lastPoke.set(orgId, Date.now());
    this.schedule(orgId);
  }

  schedule(orgId: string): void {
    if (this.running.has(orgId)) {
      this.again.add(orgId);
      return;
    }
    const run = new Promise((r) => setTimeout(r, COALESCE_MS))
      .then(() => this.runOrg(orgId))
      .catch((err: unknown) => this.log.warn({ err, orgId }, 'fleet reconcile failed; it runs again on the next change'))
      .finally(() => {
        this.running.delete(orgId);
        if (this.again.delete(orgId)) this.schedule(orgId);
      });
    this.running.set(orgId, run);
  }

  /** Resolves when nothing is being reconciled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async runOrg(orgId: string): Promise<void> {
    const { tasks, deployments } = await withScope(this.db, { all: false, orgIds: [orgId] }, async (c) => {
      const newTasks = await c.query<{ id: string }>(
        `SELECT id FROM documents WHERE collection = 'tasks' AND org_id = $1 AND NOT deleted AND data->>'kind' = 'task' AND NOT (data ? 'expandedAt') AND coalesce(data->>'status', 'active') = 'active'`,
        [orgId],
      );
      const stopped = await c.query<{ id: string }>(
        `SELECT DISTINCT t.id FROM documents e JOIN documents t ON t.collection = 'tasks' AND t.id = e.data->>'taskId'
         WHERE e.collection = 'tasks' AND e.org_id = $1 AND e.data->>'state' IN ('queued', 'leased', 'running')
           AND (t.deleted OR t.data->>'status' = 'cancelled')`,
        [orgId],
      );
      const sweepRunning = Date.now() - (this.lastSweep.get(orgId) ?? 0) > SWEEP_RUNNING_MS;
      if (sweepRunning) this.lastSweep.set(orgId, Date.now());
      const deps = await c.query<{ id: string }>(
        `SELECT d.id FROM documents d WHERE d.collection = 'deployments' AND d.org_id = $1
           AND ((NOT d.deleted AND (NOT (d.data ? 'state') OR ($2::boolean AND d.data->>'state' = 'running')))
             OR (d.deleted AND EXISTS (SELECT 1 FROM documents e WHERE e.collection = 'tasks' AND e.data->>'deploymentId' = d.id AND e.data->>'state' IN ('queued', 'leased', 'running'))))`,
        [orgId, sweepRunning],
      );
      return { tasks: [...newTasks.rows, ...stopped.rows].map((r) => r.id), deployments: deps.rows.map((r) => r.id) };
    });
    for (const id of tasks) await reconcileTask(this.db, orgId, id);
    for (const id of deployments) await this.driver.evaluate(orgId, id);
    if (this.groupsChanged.delete(orgId)) await refreshOrgMemberships(this.db, orgId);
  }
}
