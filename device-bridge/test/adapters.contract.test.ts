/** Every printer adapter against a simulator speaking its real protocol (Bambu over TLS). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BambuAdapter } from '../src/adapters/bambuAdapter.js';
import { BambuSimulator } from '../src/simulators/bambuSimulator.js';
import { MoonrakerSimulator } from '../src/simulators/moonrakerSimulator.js';
import { OctoPrintSimulator } from '../src/simulators/octoPrintSimulator.js';
import { PrusaLinkSimulator } from '../src/simulators/prusaLinkSimulator.js';
import { runAdapterContract } from './contract/adapterContract.js';
import { expectNothingLeft, openResources } from './support/leaks.js';
import { sampleGcode, sampleGcode3mf } from './support/printFiles.js';
import { collectingLogger, waitUntil } from './support/waitFor.js';

const TIME_SCALE = 60;
const gcodeUpload = { fileName: 'contract-upload.gcode', bytes: () => Buffer.from(sampleGcode({ seconds: 600 })) };
const thermalFault = { code: 'thermal_runaway', message: 'Heater extruder not heating at expected rate' };

const baseline = openResources();

runAdapterContract({
  name: 'moonraker',
  createSimulator: () => new MoonrakerSimulator({ timeScale: TIME_SCALE }),
  canRestart: true,
  reportsLayers: true,
  setsTemperature: true,
  upload: gcodeUpload,
  fault: thermalFault,
  faultCode: 'KLIPPER_ERROR',
});

runAdapterContract({
  name: 'prusalink',
  createSimulator: () => new PrusaLinkSimulator({ timeScale: TIME_SCALE }),
  canRestart: true,
  reportsLayers: false,
  setsTemperature: false,
  upload: gcodeUpload,
  fault: thermalFault,
  faultCode: 'PRUSALINK_ERROR',
});

runAdapterContract({
  name: 'octoprint',
  createSimulator: () => new OctoPrintSimulator({ timeScale: TIME_SCALE }),
  canRestart: true,
  reportsLayers: false,
  setsTemperature: true,
  upload: gcodeUpload,
  fault: thermalFault,
  faultCode: 'OCTOPRINT_ERROR',
});

runAdapterContract({
  name: 'bambu (TLS broker on the simulated printer)',
  createSimulator: () => new BambuSimulator({ timeScale: TIME_SCALE }),
  canRestart: true,
  reportsLayers: true,
  setsTemperature: true,
  upload: { fileName: 'contract-upload.gcode.3mf', bytes: () => sampleGcode3mf({ seconds: 600 }) },
  fault: {
    code: 'heatbed',
    message: 'Heatbed temperature is abnormal',
    hms: { attr: 50331904, code: 65543 },
    printError: 0x03008003,
  },
  faultCode: 'HMS_0300_0100_0001_0007',
});

describe('bambu adapter security', () => {
  const simulator = new BambuSimulator({ timeScale: TIME_SCALE });
  beforeAll(() => simulator.start());
  afterAll(() => simulator.stop());

  it('is refused by the printer with a wrong access code and stays offline', async () => {
    const logger = collectingLogger();
    const adapter = new BambuAdapter({
      ...simulator.adapterConfig(),
      accessCode: 'wrong',
      logger,
      reconnect: { initialMs: 50, maxMs: 100 },
    });
    await adapter.connect();
    await waitUntil(() => logger.warnings.some((w) => /not authorized|bad user|password/i.test(w)), 'the refusal logged');
    expect(adapter.telemetry.status).toBe('offline');
    expect(await adapter.execute('pause', {}, { timeoutMs: 500 })).toMatchObject({ ok: false, code: 'offline' });
    await adapter.disconnect();
  });
});

describe('device-bridge adapter tests', () => {
  it('leave no sockets, servers or timers open', async () => {
    await expectNothingLeft(baseline);
  });
});
