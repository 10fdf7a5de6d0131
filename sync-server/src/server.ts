/** `startServer(config) -> { url, stop }`: one call starts a stateless instance (port 0 in tests). */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import type { ServerConfig } from './config.js';
import { createPool, type Db } from './db/pool.js';
import { migrate } from './db/migrate.js';
import { appRoleUrl, ensureAppRole } from './db/appRole.js';
import { createApp } from './app.js';
import { StreamHub } from './sync/streamHub.js';
import { YjsHub } from './yjs/yjsHub.js';

export interface RunningServer {
  url: string;
  db: Db;
  hub: StreamHub;
  yjs: YjsHub;
  stop(): Promise<void>;
}

export async function startServer(config: ServerConfig, opts: { log?: Logger; migrate?: boolean } = {}): Promise<RunningServer> {
  const log = opts.log ?? pino({ level: config.logLevel });
  if (opts.migrate !== false) {
    const admin = createPool(config.databaseUrl, 2);
    try {
      await migrate(admin);
      await ensureAppRole(admin, config.databaseUrl);
    } finally {
      await admin.end();
    }
  }
  // The application itself runs as the restricted role (row-level security applies to it).
  const appUrl = appRoleUrl(config.databaseUrl);
  const db = createPool(appUrl, 10, (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  const auth = {
    db,
    policy: {
      keys: config.keys,
      accessTtlSeconds: config.accessTtlSeconds,
      idleSeconds: config.sessionIdleSeconds,
      absoluteSeconds: config.sessionAbsoluteSeconds,
    },
  };
  const hub = new StreamHub(db, appUrl, log, auth);
  await hub.start();
  const yjs = new YjsHub(db, auth, log);
  hub.subscribe((n) => yjs.onNotice(n));
  const app = createApp({ db, hub, log, config, auth });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  yjs.attach(server);
  const addr = server.address() as AddressInfo;
  const url = `http://${config.host}:${addr.port}`;
  return {
    url,
    db,
    hub,
    yjs,
    async stop() {
      await yjs.stop();
      await hub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.end();
    },
  };
}
