/**
 * The auto-queue against the real sync server and a Moonraker simulator (time-scaled): a job is
 * dispatched to an idle auto-queue printer, printed to the end (job printing → done), the printer
 * then waits for its bed to be cleared, and only a `mark_bed_cleared` command (or someone setting
 * the printer document to idle) lets the next compatible job start. Incompatible jobs (bed too
 * small, wrong filament) are never sent and carry their hold reason. A job the server offers but
 * the bridge's own guardrail refuses is never sent either, and nothing is dispatched without the
 * server.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BehaviorSubject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startBridge, type RunningBridge } from '../../src/index.js';
import type { DeviceAdapter } from '../../src/adapters/deviceAdapter.js';
import type { PrinterTelemetry } from '../../src/adapters/sharedDevices.js';
import { AutoQueue } from '../../src/runtime/autoQueue.js';
import { AutoQueueLink } from '../../src/runtime/autoQueueLink.js';
import { createSimulator } from '../../src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../../src/simulators/deviceSimulator.js';
import { startTestEnv, type TestEnv, type TestUser } from '../../../sync-server/test/support/testServer.js';
import { eventually } from '../../../sync-server/test/support/nodeReplica.js';
import { jobDoc, printerDoc } from '../../../sync-server/test/support/docs.js';
import { recordDocumentVersions, statusTransitions, storedDoc } from './support/docVersions.js';
import { finalCommand, issueCommand, setUpFarm, type Farm } from './support/farm.js';
import { expectNothingLeft, openResources } from '../support/leaks.js';

const BRIDGE_ID = 'aq-1';
const POLL_MS = 300;
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/test/fixtures/gcode');
/** A loaded machine: generous bounds, always polled. */
const LONG = 45_000;

let env: TestEnv;
let farm: Farm;
let sim: DeviceSimulator;
let starts: MockInstance;
let bridge: RunningBridge;
let dataDir: string;
let cube: { modelId: string }; // 20 mm cube: bed 200 x 200, PETG, nozzle 0.4, no printer model
let cylinder: { modelId: string }; // MK3S, bed 250 x 210, PLA, nozzle 0.4

const baseline = openResources();
/** What the bridge warned about (a refused job write would show here). */
const bridgeWarnings: { message: string; details?: Record<string, unknown> }[] = [];

async function uploadModel(name: string, file: string): Promise<{ modelId: string }> {
  const created = await farm.operator.json<{ id: string }>('/api/models', { body: { orgId: farm.orgId, name } });
  expect(created.status).toBe(201);
  const res = await fetch(`${env.url}/api/models/${created.body.id}/revisions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${farm.operator.token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': file,
    },
    body: await readFile(path.join(FIXTURES, file)),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return { modelId: created.body.id };
}

async function queueJob(name: string, model: { modelId: string }, over: Record<string, unknown> = {}): Promise<string> {
  const job = jobDoc(farm.orgId, { name, modelId: model.modelId, modelRevision: 1, ...over });
  delete (job as Record<string, unknown>).material; // what the file says counts
  const res = await farm.operator.api('/api/jobs', { body: job });
  expect(res.status, await res.text()).toBe(201);
  return job.id;
}

const job = async (id: string) => (await storedDoc(env.db, 'jobs', id)) ?? {};
const printer = async () => (await storedDoc(env.db, 'printers', farm.printerId)) ?? {};
const startedFiles = () => starts.mock.calls.map((c) => String(c[0]));

async function patchPrinter(body: Record<string, unknown>): Promise<void> {
  const res = await farm.operator.api(`/api/printers/${farm.printerId}`, { method: 'PATCH', body });
  expect(res.status, await res.text()).toBe(200);
}

beforeAll(async () => {
  env = await startTestEnv();
  await recordDocumentVersions(env.db);
  // 250 simulated seconds per second: the cube's 17 min 42 s print takes about 4 s.
  sim = createSimulator('moonraker', { timeScale: 250 });
  await sim.start();
  starts = vi.spyOn(sim.printer, 'startJob');
  const { apiKey } = sim.adapterConfig() as { apiKey: string };
  farm = await setUpFarm(env, {
    name: 'Auto-queue Farm',
    bridgeId: BRIDGE_ID,
    protocol: 'moonraker',
    host: `127.0.0.1:${sim.port}`,
    credentials: { apiKey },
  });
  await patchPrinter({
    model: 'Original Prusa MK3S+',
    bedWidthMm: 220,
    bedDepthMm: 220,
    nozzleDiameter: 0.4,
    loadedMaterial: 'PETG',
    autoQueue: true,
  });
  cube = await uploadModel('Cube', 'cube20.gcode');
  cylinder = await uploadModel('Cylinder', 'cyl15_mk3s_pla.gcode');
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-autoqueue-'));
  bridge = await startBridge({
    serverUrl: env.url,
    token: farm.bridgeToken,
    bridgeId: BRIDGE_ID,
    siteName: 'Auto-queue lab',
    dataDir,
    heartbeatMs: 1_000,
    coalesceMs: 200,
    commandTimeoutMs: 5_000,
    autoQueuePollMs: POLL_MS,
    deviceReconnect: { initialMs: 100, maxMs: 500 },
    logger: { info: () => undefined, warn: (message, details) => void bridgeWarnings.push({ message, details }) },
  });
}, 180_000);

afterAll(async () => {
  await bridge?.stop();
  await sim?.stop();
  await env?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await expectNothingLeft(baseline);
});

describe('auto-queue through the bridge runtime', () => {
  let first: string;
  let tooBig: string;
  let second: string;

  it('dispatches a compatible job to the idle auto-queue printer and follows it to done', async () => {
    await eventually(async () => (await printer()).status === 'idle', LONG, 'printer idle');
    first = await queueJob('Cube #1', cube, { printerId: farm.printerId });
    await eventually(async () => ['printing', 'done'].includes(String((await job(first)).status)), LONG, 'first job sent');
    expect(await job(first)).toMatchObject({ printerId: farm.printerId });
    expect(startedFiles()).toEqual([`${first}.gcode`]);
    expect(sim.files.has(`${first}.gcode`)).toBe(true);
    // The printer reports the job id as its current job: the printer document links them.
    await eventually(async () => (await printer()).currentJobId === first, LONG, 'printer names the job');

    await eventually(async () => (await job(first)).status === 'done', LONG, 'first job done');
    expect(await statusTransitions(env.db, 'jobs', first)).toEqual(['queued', 'scheduled', 'printing', 'done']);
    const done = await job(first);
    expect(done.actualSeconds).toEqual(expect.any(Number));
    expect(done.completedAt).toEqual(expect.any(String));
    expect(done.holdReason).toBeUndefined();
  }, 120_000);

  it('waits in "finished" until the bed is cleared: nothing else starts', async () => {
    await eventually(async () => (await printer()).status === 'finished', LONG, 'printer waiting for the bed');
    // Queued now: one that does not fit (bed, filament) ahead of one that does.
    tooBig = await queueJob('Cylinder (too big)', cylinder, { priority: 90 });
    second = await queueJob('Cube #2', cube, { priority: 50 });
    // A window of many auto-queue polls: the printer keeps waiting and nothing is sent.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 10));
    expect((await printer()).status).toBe('finished');
    expect(startedFiles()).toEqual([`${first}.gcode`]);
    expect((await job(second)).status).toBe('queued');
    expect((await job(tooBig)).holdReason).toBeUndefined(); // nobody asked for a job yet
  }, 60_000);

  it('after "Mark bed cleared" holds the incompatible job with its reason and starts the next compatible one', async () => {
    const cleared = await issueCommand(env, farm, { action: 'mark_bed_cleared' });
    expect(await finalCommand(env, cleared, LONG)).toMatchObject({ status: 'succeeded' });

    await eventually(async () => ['printing', 'done'].includes(String((await job(second)).status)), LONG, 'second job sent');
    expect(await job(second)).toMatchObject({ printerId: farm.printerId });
    const held = await job(tooBig);
    expect(held.status).toBe('queued');
    expect(held.printerId).toBeUndefined();
    expect(held.holdReason).toMatch(/^Not compatible with Voron 2\.4: /);
    expect(held.holdReason).toMatch(/needs a 250 x 210 mm bed, this printer has 220 x 220 mm/);
    expect(held.holdReason).toMatch(/needs PLA, loaded: PETG/);
    expect(startedFiles()).toEqual([`${first}.gcode`, `${second}.gcode`]);
    expect(sim.files.has(`${tooBig}.gcode`)).toBe(false);

    await eventually(async () => (await job(second)).status === 'done', LONG, 'second job done');
    expect(await statusTransitions(env.db, 'jobs', second)).toEqual(['queued', 'scheduled', 'printing', 'done']);
  }, 120_000);

  it('is released by setting the printer document to idle; a filament mismatch is held too', async () => {
    await eventually(async () => (await printer()).status === 'finished', LONG, 'printer waiting for the bed again');
    // PLA is loaded now: the cylinder still does not fit the bed, and the cube wants PETG.
    await patchPrinter({ loadedMaterial: 'PLA' });
    const petg = await queueJob('Cube #3 (PETG)', cube, { printerId: farm.printerId, priority: 80 });
    await patchPrinter({ status: 'idle' });

    await eventually(async () => /needs PETG, loaded: PLA/.test(String((await job(petg)).holdReason)), LONG, 'PETG job held');
    await eventually(
      async () => String((await job(tooBig)).holdReason) !== '' && !/needs PLA/.test(String((await job(tooBig)).holdReason)),
      LONG,
      'cylinder held for its bed only',
    );
    expect((await job(tooBig)).holdReason).toMatch(/needs a 250 x 210 mm bed/);
    expect((await job(petg)).status).toBe('queued');
    // Released: the printer reads idle (not finished), and still nothing incompatible was sent.
    await eventually(async () => (await printer()).status === 'idle', LONG, 'printer idle after release');
    expect(startedFiles()).toEqual([`${first}.gcode`, `${second}.gcode`]);

    // Back to PETG: the held job goes out at the next poll, and its hold reason is removed.
    await patchPrinter({ loadedMaterial: 'PETG' });
    await eventually(async () => ['printing', 'done'].includes(String((await job(petg)).status)), LONG, 'PETG job sent');
    expect((await job(petg)).holdReason).toBeUndefined();
    expect(startedFiles()).toEqual([`${first}.gcode`, `${second}.gcode`, `${petg}.gcode`]);
    await eventually(async () => (await job(petg)).status === 'done', LONG, 'PETG job done');
    expect(sim.files.has(`${tooBig}.gcode`)).toBe(false);
    const refused = bridgeWarnings.filter((w) => /not accepted|refused a write|auto-queue failed|not saved/.test(w.message));
    expect(refused).toEqual([]);
  }, 150_000);
});

/** A device that records what it is sent and reads idle. */
function recordingDevice(): DeviceAdapter & { uploads: string[] } {
  const telemetry: PrinterTelemetry = { status: 'idle', progress: 0 };
  const subject = new BehaviorSubject(telemetry);
  const uploads: string[] = [];
  return {
    protocol: 'moonraker',
    telemetry$: subject.asObservable(),
    telemetry,
    stats: { messages: 0, malformed: 0 },
    uploads,
    connect: async () => undefined,
    disconnect: async () => undefined,
    execute: async () => ({ ok: true }),
    uploadAndStart: async (fileName) => {
      uploads.push(fileName);
      return { ok: true };
    },
  };
}

describe('auto-queue guardrail just before sending, and without the server', () => {
  const warnings: string[] = [];
  let admin: TestUser | undefined;
  const logger = { info: () => undefined, warn: (m: string) => void warnings.push(m) };

  async function queueFor(
    opts: { answerNextJob?: (jobId: string) => Response; fetchFails?: boolean },
    printerOver: Record<string, unknown>,
  ) {
    // A printer of the same org that no running bridge serves; the job is aimed at it alone.
    const doc = printerDoc(farm.orgId, { name: 'Bench MK3S', model: 'MK3S', autoQueue: true, ...printerOver });
    admin ??= await env.user('bench-admin@aq-1.test', { [farm.orgId]: 'admin' });
    expect((await admin.api('/api/printers', { body: doc })).status).toBe(201);
    const jobId = await queueJob('Cylinder for the bench', cylinder, { printerId: doc.id });
    const calls: string[] = [];
    const wrapped: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      calls.push(url);
      if (opts.fetchFails) throw new TypeError('fetch failed');
      if (url.endsWith(`/api/printers/${doc.id}/next-job`) && opts.answerNextJob) return opts.answerNextJob(jobId);
      return fetch(input, init);
    };
    const device = recordingDevice();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fleetsync-autoqueue-unit-'));
    const queue = await AutoQueue.open({
      dataDir: dir,
      link: new AutoQueueLink({ baseUrl: env.url, getToken: () => farm.bridgeToken, fetch: wrapped }, 'bench'),
      devices: { get: () => device, online: () => true },
      printerDoc: async () => doc,
      printerIds: () => [doc.id],
      republish: () => undefined,
      logger,
      pollMs: 100,
    });
    queue.printerDocChanged(doc.id, doc);
    return { doc, jobId, calls, device, queue, dir };
  }

  it('never sends a job the server offers when the bridge finds it incompatible', async () => {
    const offered = async (jobId: string) => {
      const wire = await fetch(`${env.url}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${farm.bridgeToken}` } });
      return wire.json() as Promise<Record<string, unknown>>;
    };
    let wire: Record<string, unknown> = {};
    // A server that (wrongly) offers the cylinder: 250 x 210 mm, to a 180 x 180 mm bed.
    const bench = await queueFor(
      { answerNextJob: (id) => Response.json({ printerId: 'x', job: { ...wire, id }, skipped: [] }) },
      { bedWidthMm: 180, bedDepthMm: 180 },
    );
    wire = await offered(bench.jobId);
    bench.queue.start();
    try {
      await eventually(
        async () => /needs a 250 x 210 mm bed, this printer has 180 x 180 mm/.test(String((await job(bench.jobId)).holdReason)),
        LONG,
        'hold reason from the local guardrail',
      );
      expect(bench.device.uploads).toEqual([]);
      expect(bench.queue.stats).toMatchObject({ dispatched: 0 });
      expect(bench.queue.stats.refusedByGuardrail).toBeGreaterThan(0);
      expect((await job(bench.jobId)).status).toBe('queued');
      expect(bench.calls.some((u) => u.includes('/download'))).toBe(false); // not even fetched
    } finally {
      await bench.queue.stop();
      await rm(bench.dir, { recursive: true, force: true });
    }
  });

  it('does nothing while the server cannot be reached', async () => {
    const bench = await queueFor({ fetchFails: true }, { bedWidthMm: 300, bedDepthMm: 300, loadedMaterial: 'PLA' });
    bench.queue.start();
    try {
      await eventually(async () => bench.calls.filter((u) => u.endsWith('/next-job')).length >= 5, LONG, 'several polls');
      expect(bench.device.uploads).toEqual([]);
      expect(bench.calls.every((u) => u.endsWith('/next-job'))).toBe(true); // no guessing from anything else
      expect((await job(bench.jobId)).status).toBe('queued');
    } finally {
      await bench.queue.stop();
      await rm(bench.dir, { recursive: true, force: true });
    }
  });
});
