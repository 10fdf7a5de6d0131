/** Express app factory: every dependency is injected, nothing reached through globals. */
import express from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ErrorCode } from '@fleetsync/shared';
import type { ServerConfig } from './config.js';
import type { Db } from './db/pool.js';
import { createAuditRouter } from './audit/auditRouter.js';
import { createAuthRouter } from './auth/authRouter.js';
import type { AuthDeps } from './auth/authenticate.js';
import { createMfaRouter } from './auth/mfaRouter.js';
import { createSessionsRouter } from './auth/sessionsRouter.js';
import { createTokensRouter } from './auth/tokensRouter.js';
import { AppError, errorMiddleware } from './http/errors.js';
import { createHealthRouter } from './http/healthRouter.js';
import { createConfigRouter } from './security/configRouter.js';
import { createIpGate } from './security/ipGate.js';
import { createSyncRouter } from './sync/syncRouter.js';
import { createYjsRouter } from './yjs/yjsRouter.js';
import { createOrgsRouter } from './orgs/orgsRouter.js';
import { createMembersRouter } from './orgs/membersRouter.js';
import { createCollectionsRouter } from './rest/collectionsRouter.js';
import { createBridgesRouter } from './bridges/bridgesRouter.js';
import { createFleetRouter } from './fleet/fleetRouter.js';
import { createFarmRouter } from './farm/farmRouter.js';
import type { StreamHub } from './sync/streamHub.js';

export interface AppDeps {
  db: Db;
  hub: StreamHub;
  log: Logger;
  config: ServerConfig;
  auth: AuthDeps;
}

/** CSP: the PWA's own scripts, styles, workers and API, QR images as data URLs, nothing else. */
const CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
    manifestSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

export function createApp(deps: AppDeps): express.Express {
  const { db, hub, log, config, auth } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: CSP, crossOriginEmbedderPolicy: false, hsts: false }));
  const ipGate = createIpGate(db);
  app.use(ipGate.gate);
  app.use(express.json({ limit: config.bodyLimit }));

  app.use(createHealthRouter({ db }));
  app.use(createAuthRouter(auth));
  app.use(createMfaRouter(auth));
  app.use(createSessionsRouter(auth));
  app.use(createTokensRouter(auth));
  app.use(createConfigRouter({ ...auth, onAllowlistChanged: ipGate.invalidate }));
  app.use(createAuditRouter(auth));
  app.use(createSyncRouter({ auth, hub }));
  app.use(createYjsRouter(auth));
  app.use(createOrgsRouter(auth));
  app.use(createMembersRouter(auth));
  app.use(createBridgesRouter(auth));
  app.use(createFleetRouter({ ...auth, hub, log }));
  app.use(createFarmRouter({ ...auth, config }));
  app.use(createCollectionsRouter(auth));
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
