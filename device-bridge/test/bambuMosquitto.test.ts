/**
 * The Bambu adapter through a real external broker: Mosquitto on 127.0.0.1:1883 (CI has it;
 * MQTT_URL points elsewhere).
 * The simulated printer is one more client of that broker, under a random serial. No broker, no pass.
 */
import net from 'node:net';
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BambuSimulator } from '../src/simulators/bambuSimulator.js';
import { runAdapterContract } from './contract/adapterContract.js';
import { expectNothingLeft, openResources } from './support/leaks.js';
import { sampleGcode3mf } from './support/printFiles.js';

const BROKER_URL = new URL(process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883');
const BROKER = { host: BROKER_URL.hostname, port: Number(BROKER_URL.port || 1883) };
const baseline = openResources();

function brokerReachable(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(BROKER);
    const fail = (reason: string) => {
      socket.destroy();
      reject(
        new Error(
          `Mosquitto is not reachable at ${BROKER.host}:${BROKER.port} (${reason}). This test needs a real MQTT broker there; ` +
            'start one with `mosquitto -d -c /etc/mosquitto/mosquitto.conf`.',
        ),
      );
    };
    socket.setTimeout(2_000, () => fail('timeout'));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

runAdapterContract({
  name: 'bambu (through Mosquitto)',
  precondition: brokerReachable,
  createSimulator: () =>
    new BambuSimulator({
      timeScale: 60,
      serial: `SIM${randomInt(1e9, 9e9)}`,
      externalBrokerUrl: `mqtt://${BROKER.host}:${BROKER.port}`,
    }),
  canRestart: false,
  reportsLayers: true,
  setsTemperature: true,
  upload: { fileName: 'contract-upload.gcode.3mf', bytes: () => sampleGcode3mf({ seconds: 600 }) },
  fault: { code: 'heatbed', message: 'Heatbed temperature is abnormal', hms: { attr: 50331904, code: 65543 } },
  faultCode: 'HMS_0300_0100_0001_0007',
});

describe('bambu through Mosquitto', () => {
  it('reaches the MQTT broker (a missing broker fails here, by name)', async () => {
    await expect(brokerReachable()).resolves.toBeUndefined();
  });

  it('leaves no sockets, servers or timers open', async () => {
    await expectNothingLeft(baseline);
  });
});
