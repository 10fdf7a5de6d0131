/**
 * Hostile input into every adapter's input path (the function its transport calls for each
 * message), then the biggest and the most messages through the real transports: nothing throws,
 * the telemetry stays inside the printer schema, and what could not be used is counted.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { printerSchema } from '@fleetsync/shared';
import { BambuAdapter } from '../src/adapters/bambuAdapter.js';
import { createAdapter } from '../src/adapters/createAdapter.js';
import type { AdapterConfig, DeviceAdapter } from '../src/adapters/deviceAdapter.js';
import { MoonrakerAdapter } from '../src/adapters/moonrakerAdapter.js';
import { OctoPrintAdapter } from '../src/adapters/octoPrintAdapter.js';
import { PrusaLinkAdapter } from '../src/adapters/prusaLinkAdapter.js';
import { createSimulator } from '../src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../src/simulators/deviceSimulator.js';
import { expectNothingLeft, openResources } from './support/leaks.js';
import { hostileValue, isJson, rawMessage, shapedRecord } from './support/hostilePayloads.js';
import { waitForTelemetry, waitUntil } from './support/waitFor.js';

const baseline = openResources();
const partialPrinter = printerSchema.partial();
const TEN_MB_PLUS = 'x'.repeat(10 * 1024 * 1024 + 1);

interface FuzzTarget {
  name: string;
  make(): DeviceAdapter;
  feed(adapter: DeviceAdapter, raw: string): void;
  messages: fc.Arbitrary<string>;
}

const heater = shapedRecord(['temperature', 'target', 'power']);
const moonrakerStatus = fc.record(
  {
    print_stats: fc.oneof(
      shapedRecord(['state', 'filename', 'print_duration', 'message']),
      fc.record({ info: shapedRecord(['current_layer', 'total_layer']) }),
    ),
    virtual_sdcard: fc.oneof(shapedRecord(['progress', 'is_active']), hostileValue),
    extruder: heater,
    heater_bed: heater,
    display_status: shapedRecord(['progress', 'message']),
  },
  { requiredKeys: [] },
);
const bambuPrint = shapedRecord([
  'gcode_state',
  'mc_percent',
  'mc_remaining_time',
  'nozzle_temper',
  'bed_temper',
  'layer_num',
  'total_layer_num',
  'stg_cur',
  'print_error',
  'hms',
  'subtask_name',
  'msg',
  'sequence_id',
  'result',
  'reason',
]).map((p) => ({ command: 'push_status', ...p }));
const hmsList = fc.array(fc.record({ attr: hostileValue, code: hostileValue }), { maxLength: 30 });

const targets: FuzzTarget[] = [
  {
    name: 'bambu',
    make: () => new BambuAdapter({ protocol: 'bambu', url: 'mqtt://127.0.0.1:9', serial: 'FUZZ', accessCode: '0' }),
    feed: (a, raw) => (a as BambuAdapter).ingest(raw),
    messages: rawMessage(
      fc.oneof(
        fc.record({ print: bambuPrint }),
        fc.record({
          print: fc.record({ command: fc.constant('push_status'), gcode_state: fc.constant('FAILED'), hms: hmsList }),
        }),
        fc.record({ print: hostileValue }),
        fc.record({ info: hostileValue, system: hostileValue }),
      ),
    ),
  },
  {
    name: 'moonraker',
    make: () => new MoonrakerAdapter({ protocol: 'moonraker', baseUrl: 'http://127.0.0.1:9' }),
    feed: (a, raw) => (a as MoonrakerAdapter).ingest(raw),
    messages: rawMessage(
      fc.oneof(
        fc.record({
          jsonrpc: fc.constant('2.0'),
          method: fc.constant('notify_status_update'),
          params: fc.tuple(moonrakerStatus, hostileValue),
        }),
        fc.record({
          jsonrpc: fc.constant('2.0'),
          method: fc.constantFrom('notify_klippy_shutdown', 'notify_klippy_disconnected', 'x'),
        }),
        fc.record({ jsonrpc: fc.constant('2.0'), id: hostileValue, result: hostileValue }),
        fc.record({ method: hostileValue, params: hostileValue }),
      ),
    ),
  },
  {
    name: 'prusalink',
    make: () => new PrusaLinkAdapter({ protocol: 'prusalink', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
    feed: (a, raw) => (a as PrusaLinkAdapter).ingest(raw.length % 3 === 1 ? 'job' : 'status', raw),
    messages: rawMessage(
      fc.oneof(
        fc.record({
          printer: fc.oneof(shapedRecord(['state', 'temp_nozzle', 'target_nozzle', 'temp_bed', 'target_bed']), hostileValue),
          job: fc.oneof(shapedRecord(['id', 'progress', 'time_remaining', 'time_printing']), hostileValue),
        }),
        shapedRecord(['id', 'state', 'progress', 'file', 'message']),
      ),
    ),
  },
  {
    name: 'octoprint',
    make: () => new OctoPrintAdapter({ protocol: 'octoprint', baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
    feed: (a, raw) => (a as OctoPrintAdapter).ingest(raw.length % 3 === 0 ? 'job' : 'printer', raw),
    messages: rawMessage(
      fc.oneof(
        fc.record({
          temperature: fc.record({
            tool0: fc.oneof(shapedRecord(['actual', 'target']), hostileValue),
            bed: shapedRecord(['actual', 'target']),
          }),
          state: fc.record({
            text: hostileValue,
            error: hostileValue,
            flags: shapedRecord(['operational', 'printing', 'paused', 'error', 'closedOrError', 'ready']),
          }),
        }),
        fc.record({
          progress: shapedRecord(['completion', 'printTime', 'printTimeLeft']),
          job: fc.record({ file: shapedRecord(['name']) }),
        }),
      ),
    ),
  },
];

function expectValid(adapter: DeviceAdapter): void {
  const parsed = partialPrinter.safeParse(adapter.telemetry);
  expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
}

describe.each(targets)('$name adapter input path under hostile messages', (target) => {
  it('never throws, keeps schema-valid telemetry, and counts every message', () => {
    fc.assert(
      fc.property(fc.array(target.messages, { minLength: 1, maxLength: 12 }), (messages) => {
        const adapter = target.make();
        for (const raw of messages) target.feed(adapter, raw);
        expectValid(adapter);
        expect(adapter.stats.messages).toBe(messages.length);
        expect(adapter.stats.malformed).toBeGreaterThanOrEqual(messages.filter((m) => !isJson(m)).length);
      }),
      { numRuns: 150 },
    );
  });

  it('counts text that is not JSON as malformed, one each', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((s) => !isJson(s)),
        (text) => {
          const adapter = target.make();
          target.feed(adapter, text);
          expect(adapter.stats).toEqual({ messages: 1, malformed: 1 });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('drops a message over 10 MB and survives a flood of 1000', () => {
    const adapter = target.make();
    target.feed(adapter, TEN_MB_PLUS);
    expect(adapter.stats).toEqual({ messages: 1, malformed: 1 });
    const flood = fc.sample(target.messages, { numRuns: 1000, seed: 42 });
    for (const raw of flood) target.feed(adapter, raw);
    expect(adapter.stats.messages).toBe(1001);
    expectValid(adapter);
  });
});

describe.each(['moonraker', 'bambu', 'prusalink', 'octoprint'] as const)('%s over its real transport', (protocol) => {
  let simulator: DeviceSimulator | undefined;
  let adapter: DeviceAdapter | undefined;
  afterAll(async () => {
    await adapter?.disconnect();
    await simulator?.stop();
  });

  it('drops a 10 MB message, takes a flood (1000 pushed frames, or 50 polled bodies), and stays connected', async () => {
    simulator = createSimulator(protocol, { timeScale: 60 });
    await simulator.start();
    adapter = createAdapter({ ...simulator.adapterConfig(), pollIntervalMs: 20 } as AdapterConfig);
    await adapter.connect();
    await waitForTelemetry(adapter, (t) => t.status === 'idle', 'status idle');
    const connected = adapter;
    await simulator.injectRaw(TEN_MB_PLUS);
    await waitUntil(() => connected.stats.malformed >= 1, 'the 10 MB message counted', 15_000);
    const before = connected.stats.messages;
    const pushes = protocol === 'moonraker' || protocol === 'bambu' ? 1000 : 50;
    for (let i = 0; i < pushes; i += 1) await simulator.injectRaw(i % 2 ? '{"garbage":' : JSON.stringify([i]));
    await waitUntil(() => connected.stats.malformed >= 1 + pushes, `${pushes} injected messages counted as malformed`, 20_000);
    expect(connected.stats.messages).toBeGreaterThanOrEqual(before + pushes);
    expect(connected.telemetry.status).toBe('idle');
    expectValid(connected);
  });
});

describe('adapter fuzz file', () => {
  it('leaves no sockets, servers or timers open', async () => {
    await expectNothingLeft(baseline);
  });
});
