import { Router } from 'express';
import type { Db } from '../db/pool.js';
import { migrationStatus } from '../db/migrate.js';

/** `/healthz`: the process answers. `/readyz`: the database answers and migrations are current. */
export function createHealthRouter(deps: { db: Db }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const m = await migrationStatus(deps.db);
      res
        .status(m.current ? 200 : 503)
        .json({ status: m.current ? 'ready' : 'migrations-pending', database: 'ok', migrations: m });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', database: 'unreachable', message: (err as Error).message });
    }
  });
  return router;
}
