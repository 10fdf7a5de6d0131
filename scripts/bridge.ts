/**
 * A device bridge on its own:
 *   FLEETSYNC_URL=http://127.0.0.1:8787 FLEETSYNC_BRIDGE_TOKEN=fs_... BRIDGE_ID=site-1 npx tsx scripts/bridge.ts [--demo]
 *
 * Environment: FLEETSYNC_URL, FLEETSYNC_BRIDGE_TOKEN, BRIDGE_ID (the id the token is bound to),
 * SITE_NAME, BRIDGE_DATA_DIR (default .data/bridge-<id>), DEMO_PRINTERS (JSON list of
 * { printerId?, adapter }), and optionally BRIDGE_HEARTBEAT_MS, BRIDGE_COALESCE_MS,
 * BRIDGE_COMMAND_TIMEOUT_MS, BRIDGE_DEVICE_RETRY_MS (longest device reconnect wait), LOG_LEVEL (info|warn).
 *
 * --demo also starts one simulator per protocol on 127.0.0.1 and uses each for the first assigned
 * printer of that protocol (--time-scale N speeds them up, --auto-print keeps them printing).
 * Logs are JSON lines on stdout. SIGINT/SIGTERM stop it cleanly; a hard kill loses nothing it
 * had recorded.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import { parseStaticPrinters, startBridge, type BridgeLogger, type StaticPrinter } from '@fleetsync/device-bridge';
import type { DeviceSimulator } from '../device-bridge/src/simulators/deviceSimulator.js';

const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    'time-scale': { type: 'string', default: '1' },
    'auto-print': { type: 'boolean', default: false },
  },
});

const quiet = process.env.LOG_LEVEL === 'warn' || process.env.LOG_LEVEL === 'error';
const line = (level: string, msg: string, details?: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...details })}\n`);
const logger: BridgeLogger = {
  info: (msg, details) => (quiet ? undefined : line('info', msg, details)),
  warn: (msg, details) => line('warn', msg, details),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is required (see the top of scripts/bridge.ts)\n`);
    process.exit(2);
  }
  return value;
}
const numberEnv = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

const bridgeId = required('BRIDGE_ID');
const token = required('FLEETSYNC_BRIDGE_TOKEN');
let printers: StaticPrinter[] = [];
try {
  printers = process.env.DEMO_PRINTERS ? parseStaticPrinters(process.env.DEMO_PRINTERS) : [];
} catch (error) {
  process.stderr.write(`DEMO_PRINTERS: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}

const simulators: DeviceSimulator[] = [];
if (values.demo) {
  const { createSimulator } = await import('../device-bridge/src/simulators/createSimulator.js');
  const timeScale = Number(values['time-scale']);
  for (const protocol of PRINTER_PROTOCOLS) {
    const simulator = createSimulator(protocol, { timeScale });
    await simulator.start();
    simulators.push(simulator);
    printers.push({ adapter: simulator.adapterConfig() });
    logger.info('demo simulator started', { protocol, port: simulator.port });
  }
}
let autoPrint: NodeJS.Timeout | undefined;
if (values['auto-print'] && simulators.length > 0) {
  let count = 0;
  autoPrint = setInterval(() => {
    for (const s of simulators) {
      const phase = s.printer.snapshot().phase;
      if (phase === 'idle' || phase === 'finished' || phase === 'cancelled') s.printer.startJob(`demo-${++count}.gcode`);
    }
  }, 5_000);
}

const retryMax = numberEnv('BRIDGE_DEVICE_RETRY_MS');
const bridge = await startBridge({
  serverUrl: process.env.FLEETSYNC_URL ?? 'http://127.0.0.1:8787',
  token,
  bridgeId,
  siteName: process.env.SITE_NAME ?? `Bridge ${bridgeId}`,
  dataDir: path.resolve(process.env.BRIDGE_DATA_DIR ?? path.join('.data', `bridge-${bridgeId}`)),
  printers,
  heartbeatMs: numberEnv('BRIDGE_HEARTBEAT_MS'),
  coalesceMs: numberEnv('BRIDGE_COALESCE_MS'),
  commandTimeoutMs: numberEnv('BRIDGE_COMMAND_TIMEOUT_MS'),
  deviceReconnect: retryMax ? { initialMs: Math.min(1_000, retryMax), maxMs: retryMax } : undefined,
  logger,
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  if (autoPrint) clearInterval(autoPrint);
  await bridge.stop();
  await Promise.all(simulators.map((s) => s.stop()));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
