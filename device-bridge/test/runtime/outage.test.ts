/**
 * The bridge survives a server outage and a hard kill (ARCHITECTURE §1: it keeps running its
 * devices while the server is unreachable and catches up after; commands run at most once).
 *
 * The sync server runs on a fixed port so it can be stopped and started again against the same
 * database; the bridge is scripts/bridge.ts in a child process so it can be SIGKILLed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { readBridgeFiles } from '../../src/index.js';
import { createSimulator } from '../../src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../../src/simulators/deviceSimulator.js';
import { startServer, type RunningServer } from '../../../sync-server/src/server.js';
import { startTestEnv, type TestEnv } from '../../../sync-server/test/support/testServer.js';
import { eventually } from '../../../sync-server/test/support/nodeReplica.js';
import { BridgeProcess, freePort } from './support/bridgeProcess.js';
import { recordDocumentVersions, statusTransitions, storedDoc, versionsOf } from './support/docVersions.js';
import { finalCommand, issueCommand, setUpFarm, type Farm } from './support/farm.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';

const BRIDGE_ID = 'barn-1';
/** A child process loads tsx, RxDB and the adapters: allow for a busy machine. */
const STARTUP_MS = 40_000;
let env: TestEnv;
let farm: Farm;
let sim: DeviceSimulator;
let pauses: MockInstance;
let port: number;
let server: RunningServer | undefined;
let bridge: BridgeProcess | undefined;
let dataDir: string;

const printerOnServer = () => storedDoc(env.db, 'printers', farm.printerId);
const startBridgeProcess = () =>
  new BridgeProcess({
    FLEETSYNC_URL: `http://127.0.0.1:${port}`,
    FLEETSYNC_BRIDGE_TOKEN: farm.bridgeToken,
    BRIDGE_ID,
    SITE_NAME: 'Barn',
    BRIDGE_DATA_DIR: dataDir,
    BRIDGE_HEARTBEAT_MS: '500',
    BRIDGE_COALESCE_MS: '300',
    BRIDGE_DEVICE_RETRY_MS: '300',
  });

const baseline = openResources();

beforeAll(async () => {
  env = await startTestEnv();
  await recordDocumentVersions(env.db);
  // The simulator keeps the port it first got; the printer is switched off until the outage.
  sim = createSimulator('moonraker', { timeScale: 30 });
  await sim.start();
  await sim.stop();
  pauses = vi.spyOn(sim.printer, 'pause');
  const { apiKey } = sim.adapterConfig() as { apiKey: string };
  farm = await setUpFarm(env, {
    name: 'Barn Farm',
    bridgeId: BRIDGE_ID,
    protocol: 'moonraker',
    host: `127.0.0.1:${sim.port}`,
    credentials: { apiKey },
  });
  port = await freePort();
  server = await startServer({ ...env.config, port });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-outage-'));
});

afterAll(async () => {
  await bridge?.kill('SIGKILL');
  await server?.stop();
  await sim?.stop();
  await env?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await expectNothingLeft(baseline);
});

describe('bridge outage and hard kill', () => {
  it(
    'runs a replicated command and a print through an outage and a kill -9, then delivers each exactly once',
    { timeout: 150_000 },
    async () => {
      bridge = startBridgeProcess();
      await bridge.waitFor('bridge started', undefined, STARTUP_MS);
      // The printer is off: the bridge tells the server so.
      await eventually(async () => (await printerOnServer())?.status === 'offline', 15_000, 'printer offline on the server');

      // A pause reaches the bridge before the outage; it waits for the printer.
      const commandId = await issueCommand(env, farm, { action: 'pause' });
      await bridge.waitFor('command received', (l) => l.commandId === commandId);
      expect((await storedDoc(env.db, 'commands', commandId))?.status).toBe('pending');

      // Outage: the server goes away, then the printer comes on with a print running.
      await server!.stop();
      server = undefined;
      sim.printer.startJob('bracket-v3.gcode', { durationS: 45, totalLayers: 20, nozzle: 40, bed: 35 });
      await sim.start();
      const finished = await bridge.waitFor('command finished', (l) => l.commandId === commandId);
      expect(finished).toMatchObject({ status: 'succeeded' });
      expect(pauses).toHaveBeenCalledTimes(1);
      expect(sim.printer.snapshot().phase).toBe('paused');

      // Someone resumes at the printer; the print runs to the end and the printer cools down.
      sim.printer.resume();
      await eventually(
        () => {
          const s = sim.printer.snapshot();
          return s.phase === 'finished' && s.nozzle.temp === 25 && s.bed.temp === 25;
        },
        15_000,
        'print finished and cooled',
      );
      await eventually(
        async () => {
          const state = (await readBridgeFiles(dataDir)).states[farm.printerId];
          return state?.status === 'finished' && state.nozzleTemp === 25 && state.bedTemp === 25;
        },
        5_000,
        'final printer state in the bridge store',
      );

      // kill -9, and a restart while the server is still away.
      await bridge.kill('SIGKILL');
      bridge = startBridgeProcess();
      expect(await bridge.waitFor('bridge started', undefined, STARTUP_MS)).toMatchObject({ undelivered: 1, interrupted: 0 });
      await bridge.waitFor('device online');
      await new Promise((resolve) => setTimeout(resolve, 500)); // command sweeps with the device online
      expect(pauses).toHaveBeenCalledTimes(1);
      expect(bridge.count('command sent')).toBe(0);

      // The server comes back on the same port, against the same database.
      const printerVersionsBefore = (await versionsOf(env.db, 'printers', farm.printerId)).length;
      server = await startServer({ ...env.config, port });
      expect(await finalCommand(env, commandId, 15_000)).toMatchObject({ status: 'succeeded', bridgeId: BRIDGE_ID });
      await eventually(
        async () => {
          const p = await printerOnServer();
          return p?.status === 'finished' && p.progress === 100 && p.currentJobId === 'bracket-v3';
        },
        15_000,
        'final printer state on the server',
      );
      await bridge.waitFor('command outcome delivered', (l) => l.commandId === commandId);
      await eventually(async () => (await readBridgeFiles(dataDir)).commands.length === 0, 5_000, 'nothing left to deliver');
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a duplicate to show up (3 write periods)

      // Exactly once: one final status, one printer write, one pause on the device.
      const commandVersions = await versionsOf(env.db, 'commands', commandId);
      expect(commandVersions.map((v) => v.data.status)).toEqual(['pending', 'succeeded']);
      expect(await statusTransitions(env.db, 'commands', commandId)).toEqual(['pending', 'succeeded']);
      expect(commandVersions[1]!.data.acknowledgedAt).toEqual(expect.any(String));
      const printerWrites = (await versionsOf(env.db, 'printers', farm.printerId)).slice(printerVersionsBefore);
      expect(printerWrites).toHaveLength(1);
      expect(printerWrites[0]!.data).toMatchObject({ status: 'finished', progress: 100, nozzleTemp: 25, bedTemp: 25 });
      expect(printerWrites[0]!.data.lastError).toBeUndefined();
      expect(pauses).toHaveBeenCalledTimes(1);

      // The time series survived the kill: the job with its pause, estimated and actual duration.
      expect(await bridge.kill('SIGTERM')).toBe(0);
      bridge = undefined;
      const jobs = (await readBridgeFiles(dataDir)).history.filter((e) => e.t === 'job');
      expect(jobs).toEqual([expect.objectContaining({ printerId: farm.printerId, jobId: 'bracket-v3', end: 'finished' })]);
      expect(jobs[0]).toMatchObject({ estimatedSeconds: expect.any(Number), pausedSeconds: expect.any(Number) });
    },
  );
});
