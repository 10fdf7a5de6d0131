/**
 * The bridge runtime against the real sync server and a Moonraker simulator: printer state
 * reaches people's replicas (coalesced), commands run as documents, and the bridge keeps a
 * time series of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Replica } from '@fleetsync/shared/sync';
import { startBridge, readBridgeFiles, type RunningBridge } from '../../src/index.js';
import { createSimulator } from '../../src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../../src/simulators/deviceSimulator.js';
import { startTestEnv, type TestEnv } from '../../../sync-server/test/support/testServer.js';
import { eventually, nodeReplica } from '../../../sync-server/test/support/nodeReplica.js';
import { recordDocumentVersions, statusTransitions, versionsOf } from './support/docVersions.js';
import { finalCommand, issueCommand, setUpFarm, type Farm } from './support/farm.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';

const BRIDGE_ID = 'lab-2';
let env: TestEnv;
let farm: Farm;
let printerId: string;
let sim: DeviceSimulator;
let pauses: MockInstance;
let bridge: RunningBridge;
let people: Replica;
let dataDir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seen = async () =>
  (await people.collections.printers!.findOne(printerId).exec())?.toJSON() as Record<string, unknown> | undefined;
const issue = (over: Record<string, unknown>) => issueCommand(env, farm, over);
const finished = (id: string) => finalCommand(env, id);

const baseline = openResources();

beforeAll(async () => {
  env = await startTestEnv();
  await recordDocumentVersions(env.db);
  sim = createSimulator('moonraker', { timeScale: 20 });
  await sim.start();
  pauses = vi.spyOn(sim.printer, 'pause');
  const { apiKey } = sim.adapterConfig() as { apiKey: string };
  farm = await setUpFarm(env, {
    name: 'Runtime Farm',
    bridgeId: BRIDGE_ID,
    protocol: 'moonraker',
    host: `127.0.0.1:${sim.port}`,
    credentials: { apiKey },
  });
  printerId = farm.printerId;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-bridge-'));
  bridge = await startBridge({
    serverUrl: env.url,
    token: farm.bridgeToken,
    bridgeId: BRIDGE_ID,
    siteName: 'Lab 2',
    dataDir,
    heartbeatMs: 500,
    commandTimeoutMs: 3_000,
    deviceReconnect: { initialMs: 100, maxMs: 500 },
  });
  people = await nodeReplica(env.url, farm.operator.token, ['printers', 'commands']);
});

afterAll(async () => {
  await people?.close();
  await bridge?.stop();
  await sim?.stop();
  await env?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  // Last: the bridge, its adapters, replica, timers and the simulator left nothing open.
  await expectNothingLeft(baseline);
});

describe('bridge runtime', () => {
  it('reaches its printer with the credentials from the server and registers it online', async () => {
    await eventually(
      async () => (await seen())?.status === 'idle' && typeof (await seen())?.lastSeenAt === 'string',
      10_000,
      'printer idle',
    );
    await eventually(
      async () => {
        const list = await farm.operator.json<{
          bridges: { id: string; online: boolean; devices: { printerId: string; online: boolean }[] }[];
        }>('/api/bridges');
        const mine = list.body.bridges.find((b) => b.id === BRIDGE_ID);
        return Boolean(mine?.online && mine.devices.some((d) => d.printerId === printerId && d.online));
      },
      5_000,
      'registration with the device online',
    );
  });

  it('delivers printer state to a user replica, at most one write per second per printer', async () => {
    // A long print: it cannot end on its own during the test, however slow the machine.
    sim.printer.startJob('gear-housing.gcode', { durationS: 3_600, totalLayers: 40, nozzle: 35, bed: 30 });
    await eventually(
      async () => (await seen())?.status === 'printing' && Number((await seen())?.progress) > 0,
      10_000,
      'printing with progress',
    );
    expect(await seen()).toMatchObject({ currentJobId: 'gear-housing', totalLayers: 40 });

    const updatesBefore = bridge.state.stats.telemetryUpdates;
    const writesBefore = (await versionsOf(env.db, 'printers', printerId)).length;
    await sleep(3_000); // a window of device updates; the assertion counts writes, not time
    const writes = (await versionsOf(env.db, 'printers', printerId)).length - writesBefore;
    const updates = bridge.state.stats.telemetryUpdates - updatesBefore;
    expect(updates).toBeGreaterThanOrEqual(30); // the device reports at 10 Hz or more
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writes).toBeLessThanOrEqual(4); // 3 s of updates → about one stored version per second
  });

  it('runs a pause written by an operator: pending → acknowledged → succeeded, and the printer reads paused', async () => {
    const id = await issue({ action: 'pause' });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'succeeded', bridgeId: BRIDGE_ID });
    expect(done.acknowledgedAt).toEqual(expect.any(String));
    expect(done.finishedAt).toEqual(expect.any(String));
    expect(await statusTransitions(env.db, 'commands', id)).toEqual(['pending', 'acknowledged', 'succeeded']);
    expect(pauses).toHaveBeenCalledTimes(1);
    await eventually(async () => (await seen())?.status === 'paused', 5_000, 'printer paused');
  });

  it('resumes, then stops the print', async () => {
    expect(await finished(await issue({ action: 'resume' }))).toMatchObject({ status: 'succeeded' });
    await eventually(async () => (await seen())?.status === 'printing', 5_000, 'printing again');
    expect(await finished(await issue({ action: 'stop' }))).toMatchObject({ status: 'succeeded' });
    await eventually(async () => (await seen())?.status === 'idle', 5_000, 'cancelled print reads idle');
  });

  it('reports a print that runs to the end as finished', async () => {
    sim.printer.startJob('bracket-v3.gcode', { durationS: 30, totalLayers: 10, nozzle: 35, bed: 30 });
    await eventually(
      async () => (await seen())?.status === 'finished' && (await seen())?.progress === 100,
      15_000,
      'print finished',
    );
    expect(await seen()).toMatchObject({ currentJobId: 'bracket-v3', remainingSeconds: 0 });
  });

  it('reports a command the device refuses as failed with the device reason', async () => {
    const id = await issue({ action: 'pause' });
    expect(await finished(id)).toMatchObject({
      status: 'failed',
      resultCode: 'rejected',
      resultMessage: 'no print is in progress',
    });
    expect(await statusTransitions(env.db, 'commands', id)).toEqual(['pending', 'acknowledged', 'failed']);
  });

  it('expires a command whose time has passed without touching the device', async () => {
    const calls = pauses.mock.calls.length;
    const id = await issue({ action: 'pause', expiresAt: new Date(Date.now() - 1_000).toISOString() });
    expect(await finished(id)).toMatchObject({ status: 'expired', resultCode: 'expired' });
    expect(await statusTransitions(env.db, 'commands', id)).toEqual(['pending', 'expired']);
    expect(pauses.mock.calls.length).toBe(calls);
  });

  it('keeps a local time series: transitions, jobs with estimated and actual duration, command outcomes', async () => {
    const jobs = bridge.state.jobs(printerId);
    expect(jobs.map((j) => [j.jobId, j.end])).toEqual([
      ['gear-housing', 'cancelled'],
      ['bracket-v3', 'finished'],
    ]);
    expect(jobs[0]!.pausedSeconds).toBeGreaterThan(0);
    expect(jobs[1]!.estimatedSeconds).toBeGreaterThan(0);
    expect(jobs[1]!.actualSeconds).toBeGreaterThan(0);
    const history = bridge.state.history(printerId);
    const statuses = history.flatMap((e) => (e.t === 'status' ? [e.to] : []));
    expect(statuses).toEqual(expect.arrayContaining(['idle', 'printing', 'paused', 'finished']));
    const outcomes = history.flatMap((e) => (e.t === 'command' ? [`${e.action} ${e.status}`] : []));
    expect(outcomes).toEqual(['pause succeeded', 'resume succeeded', 'stop succeeded', 'pause failed', 'pause expired']);

    // The same is on disk, and nothing is left to deliver once the server shows every outcome.
    await eventually(async () => (await readBridgeFiles(dataDir)).commands.length === 0, 5_000, 'every outcome delivered');
    const files = await readBridgeFiles(dataDir);
    expect(files.states[printerId]).toMatchObject({ status: 'finished', progress: 100 });
    expect(files.history.filter((e) => e.t === 'job')).toHaveLength(2);
  });
});
