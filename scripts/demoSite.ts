/**
 * `npm start`'s demo site: one simulated printer per protocol (real protocols on local ports)
 * and a device bridge that owns the demo printers, authenticated with its own bridge token.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRINTER_PROTOCOLS } from '@fleetsync/shared';
import { startBridge, type BridgeLogger } from '@fleetsync/device-bridge';
import type { Db } from '../sync-server/src/db/pool.js';
import { createApiToken, liveTokenById } from '../sync-server/src/auth/apiTokens.js';
import { DEMO_BRIDGE_ID } from '../sync-server/src/identity/demoDocuments.js';
import { createSimulator } from '../device-bridge/src/simulators/createSimulator.js';
import type { DeviceSimulator } from '../device-bridge/src/simulators/deviceSimulator.js';

interface SavedToken {
  id: string;
  token: string;
}

/** A bridge token for the demo site, kept (mode 0600) beside the data so restarts reuse it. */
async function demoBridgeToken(db: Db, dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, 'demo-bridge-token.json');
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as SavedToken;
    if (await liveTokenById(db, saved.id)) return saved.token;
  }
  const owner = await db.query<{ org_id: string; user_id: string }>(
    `SELECT m.org_id, m.user_id FROM memberships m JOIN orgs o ON o.id = m.org_id
     WHERE o.name = 'Demo Print Farm' AND m.role = 'admin' ORDER BY m.created_at LIMIT 1`,
  );
  const row = owner.rows[0];
  if (!row) return null;
  const { token, record } = await createApiToken(db, {
    userId: row.user_id,
    name: 'Demo site bridge',
    scopes: ['bridge'],
    expiresInDays: 365,
    orgId: row.org_id,
    bridgeId: DEMO_BRIDGE_ID,
  });
  await writeFile(file, JSON.stringify({ id: record.id, token } satisfies SavedToken), { mode: 0o600 });
  return token;
}

export async function startDemoSite(opts: { db: Db; serverUrl: string; dataDir: string; log: (line: string) => void }) {
  const token = await demoBridgeToken(opts.db, opts.dataDir);
  if (!token) {
    opts.log('demo site: no demo organization found, so no simulated printers were started');
    return { stop: async () => undefined };
  }
  const simulators: DeviceSimulator[] = [];
  for (const protocol of PRINTER_PROTOCOLS) {
    const sim = createSimulator(protocol, { timeScale: 10 });
    await sim.start();
    simulators.push(sim);
  }
  const quiet: BridgeLogger = { info: () => undefined, warn: () => undefined };
  const bridge = await startBridge({
    serverUrl: opts.serverUrl,
    token,
    bridgeId: DEMO_BRIDGE_ID,
    siteName: 'Demo site',
    dataDir: path.join(opts.dataDir, `bridge-${DEMO_BRIDGE_ID}`),
    printers: simulators.map((s) => ({ adapter: s.adapterConfig() })),
    logger: quiet,
  });
  // Keep the demo farm busy: an idle simulated printer starts another print now and then.
  let n = 0;
  const busy = setInterval(() => {
    for (const s of simulators) {
      const phase = s.printer.snapshot().phase;
      if ((phase === 'idle' || phase === 'finished') && Math.random() < 0.3) s.printer.startJob(`demo-part-${++n}.gcode`);
    }
  }, 10_000);
  busy.unref();
  opts.log(
    `demo site: ${simulators.length} simulated printers (${PRINTER_PROTOCOLS.join(', ')}) behind bridge "${DEMO_BRIDGE_ID}"`,
  );
  return {
    async stop() {
      clearInterval(busy);
      await bridge.stop();
      for (const s of simulators) await s.stop();
    },
  };
}
