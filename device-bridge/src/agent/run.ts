/**
 * The reference agent from the command line.
 *
 *   # a real Linux host (run as root to install packages and report every admin user)
 *   npx tsx device-bridge/src/agent/run.ts --broker mqtt://bridge.lan:1883 --state-dir /var/lib/fleetsync-agent --secret fse_...
 *   # the demo: N simulated identities in one process, one one-time secret each
 *   npx tsx device-bridge/src/agent/run.ts --broker mqtt://127.0.0.1:1883 --state-dir .data/agents --simulate 3 --secret fse_a,fse_b,fse_c
 *
 * The secret is needed only the first time; afterwards the agent uses the credential it keeps
 * in its state folder. Prints one JSON line per agent once connected; runs until SIGINT/SIGTERM.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent, type FleetAgent } from './agent.js';

const { values } = parseArgs({
  options: {
    broker: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    'state-dir': { type: 'string', default: '.data/agent' },
    secret: { type: 'string', multiple: true, default: [] },
    simulate: { type: 'string' },
    'allow-reboot': { type: 'boolean', default: false },
    'poll-seconds': { type: 'string', default: '60' },
    'inventory-seconds': { type: 'string', default: '3600' },
  },
});

const secrets = (values.secret ?? []).flatMap((s) => s.split(',')).filter(Boolean);
const count = values.simulate ? Math.max(1, Number(values.simulate)) : 0;
const write = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const log = {
  info: (message: string, details?: Record<string, unknown>) => write({ level: 'info', message, ...details }),
  warn: (message: string, details?: Record<string, unknown>) => write({ level: 'warn', message, ...details }),
};

const agents: FleetAgent[] = [];
const common = {
  brokerUrl: values.broker!,
  pollSeconds: Number(values['poll-seconds']),
  inventorySeconds: Number(values['inventory-seconds']),
  allowReboot: values['allow-reboot'],
  log,
};
if (count === 0) {
  agents.push(await startAgent({ ...common, stateDir: values['state-dir']!, enrollmentSecret: secrets[0] }));
} else {
  for (let i = 0; i < count; i++) {
    agents.push(
      await startAgent({
        ...common,
        stateDir: path.join(values['state-dir']!, `sim-${i}`),
        enrollmentSecret: secrets[i],
        identity: { hostname: `demo-pc-${String(i + 1).padStart(2, '0')}`, index: i + 1 },
      }),
    );
  }
}
for (const a of agents) write({ agentId: a.agentId, root: a.root || '/', broker: values.broker });

const stop = async () => {
  for (const a of agents) await a.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
