/** Express app factory: every dependency is injected, nothing reached through globals. */
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ErrorCode } from '@fleetsync/shared';
import type { ServerConfig } from './config.js';
import type { Db } from './db/pool.js';
import { createAuthRouter } from './auth/authRouter.js';
import { AppError, errorMiddleware } from './http/errors.js';
import { createHealthRouter } from './http/healthRouter.js';
import { createSyncRouter } from './sync/syncRouter.js';
import type { StreamHub } from './sync/streamHub.js';

export interface AppDeps {
  db: Db;
  hub: StreamHub;
  log: Logger;
  config: ServerConfig;
}

export function createApp(deps: AppDeps): express.Express {
  const { db, hub, log, config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: config.bodyLimit }));

  app.use(createHealthRouter({ db }));
  app.use(createAuthRouter({ db, sessionTtlSeconds: config.sessionTtlSeconds }));
  app.use(createSyncRouter({ db, hub }));
  app.use('/api', () => {
    throw new AppError(ErrorCode.NOT_FOUND, 'no such API endpoint');
  });

  if (config.staticDir && existsSync(config.staticDir)) {
    const dir = path.resolve(config.staticDir);
    app.use(express.static(dir, { index: 'index.html', maxAge: 0 }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(dir, 'index.html')));
  }

  app.use(errorMiddleware(log));
  return app;
}
