/**
 * Offline, both ways. A device that drops off mid-job and comes back: its job ends exactly once
 * with one result, even though the lease expired meanwhile and the work went back to the queue
 * (a duplicate delivery is ignored). Jobs for a device that is offline wait and run when it
 * returns. And a site whose internet is down still deploys from the bridge's cache; the
 * results reach the server when the link is back.
 */
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetAgent } from '../../src/agent/agent.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';
import { startHarness, waitFor, type Harness } from './fleetHarness.js';

interface TaskStatus {
  counts: Record<string, number>;
  executions: { id: string; state: string; attempt: number; outcome: string | null; finishedAt: string | null }[];
}
interface Receipt {
  attempt: number;
  kind: string;
  outcome: string;
  via: string;
}

const baseline = openResources();
let h: Harness;
let agent: FleetAgent;

beforeAll(async () => {
  h = await startHarness();
  agent = await h.agent({ name: 'laptop-3', identity: { hostname: 'lab-laptop-03', index: 3 } });
  await once(agent, 'inventory');
});
afterAll(async () => {
  await h?.stop();
  await expectNothingLeft(baseline);
});

const taskStatus = (id: unknown) => h.get<TaskStatus>(`/api/fleet/tasks/${String(id)}/status`);
const receipts = async (execId: string) =>
  (await h.get<{ receipts: Receipt[] }>(`/api/fleet/executions/${execId}/receipts`)).receipts;

describe('offline devices and sites', () => {
  it('a device that goes offline mid-job and comes back: the job ends exactly once, with one result', async () => {
    const started = once(agent, 'running');
    const task = await h.create('tasks', {
      kind: 'task',
      action: 'script',
      name: 'long job',
      script: { shell: 'sh', body: 'sleep 1.5; echo ran >> "$FLEETSYNC_ROOT/ran.log"; echo done' },
      targetDeviceIds: [agent.agentId],
      targetGroupIds: [],
      timeoutSeconds: 2,
      maxAttempts: 3,
      retryBackoffSeconds: 0,
      status: 'active',
    });
    // The device drops off the network the moment the job starts.
    await started;
    agent.goOffline();
    const result = await waitFor(() => agent.state.data.outbox[0], 'the job to finish on the offline device');
    expect(result).toMatchObject({ status: 'succeeded', attempt: 1 });

    // Meanwhile the lease (timeout 2 s + grace 1 s) expires on the server: the work is queued again.
    const requeued = await waitFor(async () => {
      const e = (await taskStatus(task.id)).executions[0]!;
      return e.state === 'queued' && e.attempt === 2 ? e : null;
    }, 'the expired lease to put the job back in the queue');
    expect(requeued.outcome).toBe('lease_expired');

    agent.goOnline();
    const done = await waitFor(async () => {
      const e = (await taskStatus(task.id)).executions[0]!;
      return e.state === 'succeeded' ? e : null;
    }, 'the late result to end the job');
    expect(done.attempt).toBe(1);
    const exec = await h.get<{ stdout: string }>(`/api/tasks/${done.id}`);
    expect(exec.stdout).toBe('done\n');

    // The same result delivered again is ignored: the first final result won.
    await agent.republishFinished();
    await waitFor(async () => (await receipts(done.id)).some((r) => r.outcome === 'duplicate'), 'the duplicate to be ignored');
    await new Promise((r) => setTimeout(r, 800));
    const all = await receipts(done.id);
    expect(all.filter((r) => r.kind === 'result' && r.outcome === 'accepted')).toHaveLength(1);
    expect((await taskStatus(task.id)).executions[0]).toEqual(done);
    expect(await readFile(path.join(agent.root, 'ran.log'), 'utf8')).toBe('ran\n');
  });

  it('jobs for an offline device wait in the queue and run when it comes back', async () => {
    agent.goOffline();
    const task = await h.create('tasks', {
      kind: 'task',
      action: 'command',
      name: 'uname',
      command: { argv: ['uname', '-s'] },
      targetDeviceIds: [agent.agentId],
      targetGroupIds: [],
      status: 'active',
    });
    await waitFor(async () => (await taskStatus(task.id)).executions.length === 1, 'the task to be expanded');
    await new Promise((r) => setTimeout(r, 600));
    expect((await taskStatus(task.id)).executions[0]!.state).toBe('queued');
    agent.goOnline();
    await waitFor(async () => (await taskStatus(task.id)).counts.succeeded === 1, 'the job to run after the device came back');
  });

  it('a site without internet still deploys from the bridge cache; results reach the server when the link is back', async () => {
    agent.goOffline();
    const artifact = await h.upload(Buffer.from('#!/bin/sh\necho offline tool 1.0\n'), 'tool.sh');
    const pkg = await h.create('catalog', {
      kind: 'package',
      name: 'tool',
      versions: [
        {
          version: '1.0',
          platform: 'linux',
          installScript: {
            shell: 'sh',
            body: 'mkdir -p "$FLEETSYNC_ROOT/packages" && cp "$FLEETSYNC_ARTIFACT" "$FLEETSYNC_ROOT/packages/tool-1.0"',
          },
          uninstallScript: { shell: 'sh', body: 'rm -f "$FLEETSYNC_ROOT/packages/tool-1.0"' },
          detection: { match: 'all', rules: [{ type: 'file_exists', path: '${FLEETSYNC_ROOT}/packages/tool-1.0' }] },
          artifact,
        },
      ],
    });
    const dep = await h.create('deployments', {
      name: 'tool 1.0',
      packageId: pkg.id,
      packageVersion: '1.0',
      intent: 'required',
      targetDeviceIds: [agent.agentId],
      targetGroupIds: [],
      wavePercents: [100],
      failureThreshold: 0.5,
      minSample: 1,
      successThreshold: 1,
      maxAttempts: 1,
      retryBackoffSeconds: 0,
      timeoutSeconds: 30,
    });
    // The bridge prefetches the queued work and its artifact while the link is up...
    await waitFor(
      () => h.service.cachedWork().some((w) => w.deviceId === agent.agentId) && h.service.hasArtifact(artifact.sha256),
      'the bridge to cache the work and the artifact',
    );
    // ...then the site's internet goes down, and the device comes on.
    h.service.server.linkDown = true;
    try {
      agent.goOnline();
      await waitFor(
        () =>
          stat(path.join(agent.root, 'packages', 'tool-1.0')).then(
            () => true,
            () => false,
          ),
        'the install from the cache',
      );
      await waitFor(() => h.service.outboxSize() >= 2, 'the reports to wait in the bridge outbox');
      const waiting = await h.get<{ totals: Record<string, number> }>(`/api/fleet/deployments/${String(dep.id)}/status`);
      expect(waiting.totals.queued).toBe(1);
    } finally {
      h.service.server.linkDown = false;
    }
    const status = await waitFor(async () => {
      const s = await h.get<{ state: string; totals: Record<string, number> }>(`/api/fleet/deployments/${String(dep.id)}/status`);
      return s.state === 'completed' ? s : null;
    }, 'the deployment to complete once the link is back');
    expect(status.totals.succeeded).toBe(1);
    expect(await readFile(path.join(agent.root, 'packages', 'tool-1.0'), 'utf8')).toContain('offline tool 1.0');
  });

  it('a reboot job: the result is stored before the (simulated) reboot, and the device comes back', async () => {
    const uptimeBefore = (await agent.collect()).uptimeSeconds;
    await new Promise((r) => setTimeout(r, 1100));
    const reconnected = once(agent, 'connected');
    const task = await h.create('tasks', {
      kind: 'task',
      action: 'reboot',
      name: 'reboot',
      targetDeviceIds: [agent.agentId],
      targetGroupIds: [],
      status: 'active',
    });
    const done = await waitFor(async () => {
      const e = (await taskStatus(task.id)).executions[0];
      return e?.state === 'succeeded' ? e : null;
    }, 'the reboot to be reported');
    expect(done.outcome).toBe('ok');
    await reconnected;
    expect((await agent.collect()).uptimeSeconds).toBeLessThanOrEqual(uptimeBefore + 1);
  });
});
