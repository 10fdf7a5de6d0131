/**
 * Run one simulator on its own:
 *   npx tsx device-bridge/src/simulators/run.ts --protocol moonraker --port 7125 [--time-scale 10] [--auto-print]
 * Prints the adapter configuration that reaches it (one JSON line), then runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import type { PrinterProtocol } from '../adapters/deviceAdapter.js';
import { createSimulator } from './createSimulator.js';

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'moonraker' },
    port: { type: 'string', default: '0' },
    'time-scale': { type: 'string', default: '1' },
    'api-key': { type: 'string' },
    serial: { type: 'string' },
    'access-code': { type: 'string' },
    'ftps-port': { type: 'string', default: '0' },
    broker: { type: 'string' },
    'auto-print': { type: 'boolean', default: false },
  },
});

function isProtocol(value: string): value is PrinterProtocol {
  return (PRINTER_PROTOCOLS as readonly string[]).includes(value);
}

const protocol = values.protocol ?? '';
if (!isProtocol(protocol)) {
  process.stderr.write(`unknown --protocol ${protocol}; use one of ${PRINTER_PROTOCOLS.join(', ')}\n`);
  process.exit(2);
}

const simulator = createSimulator(protocol, {
  port: Number(values.port),
  timeScale: Number(values['time-scale']),
  apiKey: values['api-key'],
  serial: values.serial,
  accessCode: values['access-code'],
  ftpsPort: Number(values['ftps-port']),
  externalBrokerUrl: values.broker,
});
await simulator.start();
process.stdout.write(`${JSON.stringify({ simulator: protocol, adapterConfig: simulator.adapterConfig() })}\n`);

let autoPrint: NodeJS.Timeout | undefined;
if (values['auto-print']) {
  let count = 0;
  autoPrint = setInterval(() => {
    const phase = simulator.printer.snapshot().phase;
    if (phase === 'idle' || phase === 'finished' || phase === 'cancelled') simulator.printer.startJob(`demo-${++count}.gcode`);
  }, 2_000);
}

const shutdown = async (): Promise<void> => {
  if (autoPrint) clearInterval(autoPrint);
  await simulator.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
