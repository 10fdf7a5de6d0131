/**
 * The bridge's fleet service on its own, until the bridge runtime starts it
 * (`startFleetService`): the agents' broker, enrollment, leasing, the artifact cache.
 *
 *   npx tsx device-bridge/src/fleet/run.ts --server http://127.0.0.1:8787 --token fst_... --cache-dir .data/bridge-fleet --port 1884 --public-host bridge.lan
 *   npx tsx device-bridge/src/fleet/run.ts --server ... --token ... --mqtt-url mqtt://127.0.0.1:1883   # Mosquitto instead
 *
 * Prints one JSON line with the broker and artifact URLs, then runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFleetService } from './fleetService.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'http://127.0.0.1:8787' },
    token: { type: 'string', default: process.env.FLEETSYNC_BRIDGE_TOKEN ?? '' },
    'cache-dir': { type: 'string', default: '.data/bridge-fleet' },
    'mqtt-url': { type: 'string', default: process.env.MQTT_URL },
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: '1884' },
    'artifact-port': { type: 'string', default: '0' },
    'public-host': { type: 'string' },
  },
});
if (!values.token) throw new Error('give the bridge token with --token or FLEETSYNC_BRIDGE_TOKEN');
const write = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const service = await startFleetService({
  broker: values['mqtt-url'] ? { url: values['mqtt-url'] } : { embedded: { host: values.host, port: Number(values.port) } },
  serverUrl: values.server!,
  token: values.token,
  cacheDir: values['cache-dir']!,
  artifacts: {
    host: values.host,
    port: Number(values['artifact-port']),
    ...(values['public-host'] ? { publicHost: values['public-host'] } : {}),
  },
  log: {
    info: (message, details) => write({ level: 'info', message, ...details }),
    warn: (message, details) => write({ level: 'warn', message, ...details }),
  },
});
write({ broker: service.brokerUrl, brokerKind: service.brokerKind, artifacts: service.artifactBaseUrl });

const stop = async () => {
  await service.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
