/**
 * The contract every printer adapter passes against a simulator speaking its real protocol
 * (STYLE 7, like automerge-repo's adapter suites). One call per adapter:
 *   runAdapterContract({ name, createSimulator, ... })
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/adapters/createAdapter.js';
import type { AdapterConfig, DeviceAdapter } from '../../src/adapters/deviceAdapter.js';
import type { PrinterStatus, PrinterTelemetry } from '../../src/adapters/sharedDevices.js';
import type { DeviceSimulator } from '../../src/simulators/deviceSimulator.js';
import type { SimFault } from '../../src/simulators/simulatedPrinter.js';
import { collectingLogger, waitForTelemetry, waitUntil, type CollectingLogger } from '../support/waitFor.js';

export interface ContractSubject {
  name: string;
  /** A new, not yet started simulator (time-scaled). */
  createSimulator(): DeviceSimulator;
  /** Runs before the simulator starts; throw with a clear message when a precondition (a broker) is missing. */
  precondition?(): Promise<void>;
  /** The device can be stopped and started again (false when an external broker sits in between). */
  canRestart: boolean;
  /** The protocol reports layers. */
  reportsLayers: boolean;
  /** The protocol has a way to set heater targets. */
  setsTemperature: boolean;
  upload: { fileName: string; bytes: () => Uint8Array };
  fault: SimFault;
  /** The error code the adapter reports for `fault`. */
  faultCode: string | RegExp;
}

const ACTIVE: PrinterStatus[] = ['heating', 'printing'];
const FAST = { timeoutMs: 5_000 };

export function runAdapterContract(subject: ContractSubject): void {
  describe(`${subject.name} adapter contract`, () => {
    let simulator: DeviceSimulator;
    let adapter: DeviceAdapter;
    let logger: CollectingLogger;

    const newAdapter = (overrides: Partial<AdapterConfig> = {}): DeviceAdapter => {
      logger = collectingLogger();
      const config = { ...simulator.adapterConfig(), logger, reconnect: { initialMs: 50, maxMs: 300 }, pollIntervalMs: 100 };
      return createAdapter({ ...config, ...overrides } as AdapterConfig);
    };
    const status =
      (...wanted: PrinterStatus[]) =>
      (t: PrinterTelemetry) =>
        wanted.includes(t.status);

    beforeAll(async () => {
      await subject.precondition?.();
      simulator = subject.createSimulator();
      await simulator.start();
    });
    afterAll(async () => {
      await simulator?.stop();
    });
    beforeEach(async () => {
      simulator.printer.reset();
      simulator.setMuted(false);
      adapter = newAdapter();
      await adapter.connect();
      await waitForTelemetry(adapter, status('idle'), 'status idle');
    });
    afterEach(async () => {
      await adapter.disconnect();
    });

    it('connects and reports an idle printer with its temperatures', () => {
      expect(adapter.telemetry).toMatchObject({ status: 'idle' });
      expect(adapter.telemetry.nozzleTemp).toBeCloseTo(25, 0);
      expect(adapter.telemetry.bedTemp).toBeCloseTo(25, 0);
      expect(adapter.telemetry.lastSeenAt).toMatch(/^\d{4}-/);
      expect(adapter.stats.messages).toBeGreaterThan(0);
      expect(adapter.stats.malformed).toBe(0);
    });

    it('follows a whole print: heating, printing with progress, finished; a cleared bed reads idle', async () => {
      const seen: PrinterTelemetry[] = [];
      const subscription = adapter.telemetry$.subscribe((t) => seen.push(t));
      expect(simulator.printer.startJob('contract-print.gcode', { durationS: 60, totalLayers: 20 })).toEqual({ ok: true });
      const finished = await waitForTelemetry(adapter, status('finished'), 'status finished');
      subscription.unsubscribe();
      const order = seen.map((t) => t.status);
      expect(order.indexOf('heating')).toBeGreaterThanOrEqual(0);
      expect(order.indexOf('printing')).toBeGreaterThan(order.indexOf('heating'));
      expect(order.lastIndexOf('printing')).toBeLessThan(order.indexOf('finished'));
      const midway = seen.find((t) => t.status === 'printing' && (t.progress ?? 0) > 0 && (t.progress ?? 0) < 100);
      expect(midway?.currentJobId).toBe('contract-print');
      expect(midway?.remainingSeconds).toBeGreaterThan(0);
      if (subject.reportsLayers) {
        expect(seen.some((t) => (t.layer ?? 0) > 0 && t.totalLayers === 20)).toBe(true);
      }
      expect(finished.progress).toBe(100);
      expect(await adapter.execute('mark_bed_cleared', {}, FAST)).toEqual({ ok: true });
      expect(adapter.telemetry.status).toBe('idle');
    });

    it('pauses, resumes and stops a print', async () => {
      simulator.printer.startJob('contract-long.gcode', { durationS: 3_600 });
      await waitForTelemetry(adapter, status(...ACTIVE), 'a print in progress');
      expect(await adapter.execute('pause', {}, FAST)).toEqual({ ok: true });
      await waitForTelemetry(adapter, status('paused'), 'status paused');
      expect(simulator.printer.snapshot().phase).toBe('paused');
      expect(await adapter.execute('resume', {}, FAST)).toEqual({ ok: true });
      await waitForTelemetry(adapter, status(...ACTIVE), 'a resumed print');
      expect(await adapter.execute('stop', {}, FAST)).toEqual({ ok: true });
      await waitForTelemetry(adapter, status('idle'), 'status idle after stop');
      expect(simulator.printer.snapshot().phase).toBe('cancelled');
    });

    it("answers with the device's reason when a command does not fit its state", async () => {
      const outcome = await adapter.execute('pause', {}, FAST);
      expect(outcome).toMatchObject({ ok: false, code: 'rejected' });
      expect(outcome.ok ? '' : outcome.reason).toMatch(/not|no |neither/i);
      expect(simulator.printer.snapshot().phase).toBe('idle');
    });

    it('sets heater targets the way the protocol does, or says it cannot', async () => {
      const outcome = await adapter.execute('set_temperature', { nozzle: 200, bed: 55 }, FAST);
      if (!subject.setsTemperature) {
        expect(outcome).toMatchObject({ ok: false, code: 'unsupported' });
        return;
      }
      expect(outcome).toEqual({ ok: true });
      expect(simulator.printer.snapshot()).toMatchObject({ nozzle: { target: 200 }, bed: { target: 55 } });
      await waitForTelemetry(adapter, (t) => (t.nozzleTemp ?? 0) > 60, 'a nozzle warming up');
    });

    it('reports a device fault with its error code', async () => {
      simulator.printer.startJob('contract-fault.gcode', { durationS: 600 });
      await waitForTelemetry(adapter, status(...ACTIVE), 'a print in progress');
      simulator.printer.fail(subject.fault);
      const failed = await waitForTelemetry(adapter, status('error'), 'status error');
      expect(
        failed.errors?.some((e) =>
          typeof subject.faultCode === 'string' ? e.code === subject.faultCode : subject.faultCode.test(e.code),
        ),
      ).toBe(true);
      expect(failed.lastError).toBeTruthy();
    });

    it('answers timeout when the device does not answer', async () => {
      simulator.printer.startJob('contract-mute.gcode', { durationS: 600 });
      await waitForTelemetry(adapter, status(...ACTIVE), 'a print in progress');
      simulator.setMuted(true);
      const started = Date.now();
      const outcome = await adapter.execute('pause', {}, { timeoutMs: 300 });
      expect(outcome).toMatchObject({ ok: false, code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3_000);
      simulator.setMuted(false);
    });

    it('uploads a file and starts it; start_job starts it again later', async () => {
      const { fileName } = subject.upload;
      expect(await adapter.uploadAndStart?.(fileName, subject.upload.bytes(), FAST)).toEqual({ ok: true });
      expect(simulator.files.has(fileName)).toBe(true);
      await waitForTelemetry(
        adapter,
        (t) => ACTIVE.includes(t.status) && t.currentJobId === 'contract-upload',
        'the uploaded job running',
      );
      expect(await adapter.execute('stop', {}, FAST)).toEqual({ ok: true });
      await waitForTelemetry(adapter, status('idle'), 'status idle after stop');
      expect(await adapter.execute('start_job', { fileName }, FAST)).toEqual({ ok: true });
      await waitForTelemetry(adapter, status(...ACTIVE), 'the stored job running again');
    });

    if (subject.canRestart) {
      it('goes offline when the device goes away and recovers when it is back', async () => {
        await simulator.stop();
        const offline = await waitForTelemetry(adapter, status('offline'), 'status offline');
        expect(offline.lastSeenAt).toBeTruthy();
        expect(await adapter.execute('pause', {}, FAST)).toMatchObject({ ok: false, code: 'offline' });
        await simulator.start();
        await waitForTelemetry(adapter, status('idle'), 'status idle after the device came back', 15_000);
      });
    }

    it('counts malformed input, logs it, and keeps working', async () => {
      const before = adapter.stats.malformed;
      await simulator.injectRaw('{"not json');
      await simulator.injectRaw('[1, 2, 3]');
      await waitUntil(() => adapter.stats.malformed >= before + 2, 'two malformed messages counted');
      expect(logger.warnings.some((w) => w.includes('malformed'))).toBe(true);
      expect(adapter.telemetry.status).toBe('idle');
      simulator.printer.startJob('after-garbage.gcode', { durationS: 600 });
      await waitForTelemetry(adapter, status(...ACTIVE), 'a print after the garbage');
    });

    it('refuses unknown actions and bad parameters without asking the device', async () => {
      const messages = adapter.stats.messages;
      expect(await adapter.execute('explode', {}, FAST)).toMatchObject({ ok: false, code: 'rejected' });
      const bad = await adapter.execute('set_temperature', { nozzle: 'hot' }, FAST);
      expect(bad).toMatchObject({ ok: false, code: 'rejected' });
      expect(bad.ok ? '' : bad.reason).toMatch(/nozzle/);
      expect(await adapter.execute('set_temperature', {}, FAST)).toMatchObject({ ok: false, code: 'rejected' });
      expect(simulator.printer.snapshot().nozzle.target).toBe(0);
      expect(adapter.stats.messages - messages).toBeLessThan(5);
    });
  });
}
