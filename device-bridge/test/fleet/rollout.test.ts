/**
 * A staged rollout over 20 simulated agents: a pilot wave (a static group of 4, two of them
 * broken), then 50 % and 100 % of the rest. The pilot fails above the threshold and the rollout
 * pauses by itself before the next wave starts; resume runs the remaining waves; rollback
 * uninstalls wherever the deployment ran. The dashboard counts per state and per wave.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAgent } from '../../src/agent/agent.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';
import { startHarness, waitFor, type Harness } from './fleetHarness.js';

interface Wave {
  index: number;
  kind: string;
  total: number;
  counts: Record<string, number>;
  startedAt: string | null;
  deviceIds: string[];
}
interface Status {
  state: string;
  currentWave: number;
  waveCount: number;
  pausedReason: string | null;
  statusMessage: string | null;
  rollbackDeploymentId: string | null;
  totals: Record<string, number>;
  waves: Wave[];
}

const baseline = openResources();
let h: Harness;
const agents: FleetAgent[] = [];
let pilotIds: string[];
let deploymentId: string;

beforeAll(async () => {
  h = await startHarness();
  const started = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      h.agent({ name: `pc-${i}`, identity: { hostname: `lab3-pc${String(i).padStart(2, '0')}`, index: i } }),
    ),
  );
  agents.push(...started);
  // Two pilot machines have a problem the install trips over.
  await writeFile(path.join(agents[0]!.root, 'broken'), '');
  await writeFile(path.join(agents[1]!.root, 'broken'), '');
  pilotIds = agents.slice(0, 4).map((a) => a.agentId);
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await expectNothingLeft(baseline);
});

const status = () => h.get<Status>(`/api/fleet/deployments/${deploymentId}/status`);
const installed = (a: FleetAgent) => existsSync(path.join(a.root, 'packages', 'kiosk-2.0'));

describe('staged rollout over 20 agents', () => {
  it('the pilot wave fails above the threshold: the rollout pauses by itself before the next wave starts', async () => {
    const pilot = await h.create('deviceGroups', { kind: 'static', name: 'Pilot PCs', deviceIds: pilotIds });
    const pkg = await h.create('catalog', {
      kind: 'package',
      name: 'kiosk',
      versions: [
        {
          version: '2.0',
          platform: 'linux',
          installScript: {
            shell: 'sh',
            body: 'if [ -e "$FLEETSYNC_ROOT/broken" ]; then echo "disk full" >&2; exit 1; fi; mkdir -p "$FLEETSYNC_ROOT/packages" && echo 2.0 > "$FLEETSYNC_ROOT/packages/kiosk-2.0"',
          },
          uninstallScript: { shell: 'sh', body: 'rm -f "$FLEETSYNC_ROOT/packages/kiosk-2.0"' },
          detection: { match: 'all', rules: [{ type: 'file_exists', path: '${FLEETSYNC_ROOT}/packages/kiosk-2.0' }] },
        },
      ],
    });
    const dep = await h.create('deployments', {
      name: 'Kiosk 2.0',
      packageId: pkg.id,
      packageVersion: '2.0',
      intent: 'required',
      targetDeviceIds: [],
      targetGroupIds: ['builtin:all'],
      pilotGroupId: pilot.id,
      wavePercents: [50, 100],
      failureThreshold: 0.3,
      minSample: 4,
      successThreshold: 1,
      maxAttempts: 1,
      retryBackoffSeconds: 0,
      timeoutSeconds: 30,
    });
    deploymentId = String(dep.id);
    const paused = await waitFor(
      async () => {
        const s = await status();
        return s.state === 'paused' ? s : null;
      },
      'the rollout to pause',
      20_000,
    );
    expect(paused).toMatchObject({ pausedReason: 'failure_threshold', currentWave: 0, waveCount: 3 });
    expect(paused.statusMessage).toMatch(/wave 0 failure ratio 50% reached the threshold of 30%/);
    expect(paused.waves.map((w) => [w.kind, w.total])).toEqual([
      ['pilot', 4],
      ['percentage', 8],
      ['percentage', 8],
    ]);
    expect(paused.waves[0]!.deviceIds.sort()).toEqual([...pilotIds].sort());
    expect(paused.waves[0]!.counts).toMatchObject({ succeeded: 2, failed: 2 });
    // Nothing of the next waves started, and nothing starts while paused.
    await new Promise((r) => setTimeout(r, 500));
    const still = await status();
    expect(still.state).toBe('paused');
    expect(still.waves.slice(1).map((w) => w.startedAt)).toEqual([null, null]);
    expect(still.waves.slice(1).map((w) => w.counts.queued)).toEqual([8, 8]);
    expect(agents.slice(4).filter(installed)).toEqual([]);
    const executions = await h.get<{ items: { deploymentId?: string }[] }>('/api/tasks?limit=500');
    expect(executions.items.filter((e) => e.deploymentId === deploymentId)).toHaveLength(4);
    const audit = await h.env.db.query('SELECT action, details FROM audit_log WHERE target = $1 ORDER BY id', [
      `deployments:${deploymentId}`,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['deployment.started', 'deployment.wave_started', 'deployment.auto_paused']);
  });

  it('resume runs the remaining waves to completion; the dashboard counts per state and per wave', async () => {
    const r = await h.post<Status>(`/api/fleet/deployments/${deploymentId}/resume`);
    expect(r.status).toBe(200);
    const done = await waitFor(
      async () => {
        const s = await status();
        return s.state === 'completed' ? s : null;
      },
      'the rollout to complete',
      30_000,
    );
    expect(done.totals).toMatchObject({ succeeded: 18, failed: 2, queued: 0, running: 0 });
    expect(done.waves.map((w) => w.counts.succeeded)).toEqual([2, 8, 8]);
    expect(done.waves.every((w) => w.startedAt)).toBe(true);
    expect(agents.filter(installed)).toHaveLength(18);
    const dash = await h.get<{
      devices: { total: number; online: number };
      deployments: { id: string; state: string; waves: { succeeded: number }[] }[];
    }>(`/api/fleet/dashboard?orgId=${h.orgId}`);
    expect(dash.devices).toMatchObject({ total: 20, online: 20 });
    expect(dash.deployments.find((d) => d.id === deploymentId)).toMatchObject({
      state: 'completed',
      waves: [{ succeeded: 2 }, { succeeded: 8 }, { succeeded: 8 }],
    });
    // A paused rollout cannot be resumed twice; a completed one cannot be paused.
    expect((await h.post(`/api/fleet/deployments/${deploymentId}/pause`)).status).toBe(409);
  });

  it('rollback uninstalls wherever the deployment ran', async () => {
    const r = await h.post<Status>(`/api/fleet/deployments/${deploymentId}/rollback`);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('rolled_back');
    const rollbackId = r.body.rollbackDeploymentId!;
    const rb = await waitFor(
      async () => {
        const s = await h.get<Status & { intent: string }>(`/api/fleet/deployments/${rollbackId}/status`);
        return s.state === 'completed' ? s : null;
      },
      'the rollback to complete',
      30_000,
    );
    expect(rb.intent).toBe('uninstall');
    expect(rb.totals).toMatchObject({ succeeded: 20 });
    expect(agents.filter(installed)).toEqual([]);
  });
});
