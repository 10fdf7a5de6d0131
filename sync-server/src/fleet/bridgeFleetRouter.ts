/**
 * The bridge's side of the agent protocol (bridge tokens only): enrollment, credential
 * digests, heartbeats, inventory, leases, reports and the prefetch of queued work for offline
 * operation. A bridge acts only for agents it enrolled (`agent_credentials.bridge_id`).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import { audit } from '../audit/auditLog.js';
import type { AuthDeps } from '../auth/authenticate.js';
import { authOf, requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { applyInventory, bridgeAgents, enrollAgent, recordHeartbeats } from './agentService.js';
import { ingestEvent, leaseFor, prefetchWork, type AgentEvent, type BridgeRef } from './executionService.js';
import type { DeploymentDriver } from './rolloutService.js';
import { executionResultSchema, inventoryDeltaSchema } from './sharedFleet.js';

const id = z.string().min(1).max(64);
const grace = z.number().int().min(1).max(3600).default(60);
const enrollSchema = z
  .object({ secret: z.string().min(1).max(200), hostname: z.string().max(255), agentVersion: z.string().max(40) })
  .strict();
const heartbeatsSchema = z
  .object({
    beats: z
      .array(z.object({ deviceId: id, at: z.string().max(40), agentVersion: z.string().max(40).optional() }).strict())
      .max(5000),
  })
  .strict();
const inventorySchema = z.object({ deviceId: id, delta: inventoryDeltaSchema }).strict();
const leaseSchema = z.object({ deviceId: id, graceSeconds: grace }).strict();
const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('running'), deviceId: id, executionId: id, attempt: z.number().int().min(1).max(100) }).strict(),
  z.object({ type: z.literal('result'), deviceId: id, result: executionResultSchema }).strict(),
]);
const eventsSchema = z
  .object({ events: z.array(eventSchema).max(500), via: z.enum(['online', 'outbox']).default('online'), graceSeconds: grace })
  .strict();

export function bridgeOf(req: Request): BridgeRef {
  const { principal } = authOf(req);
  const orgId = Object.keys(principal.memberships)[0];
  if (!principal.bridgeId || !orgId)
    throw new AppError(ErrorCode.FORBIDDEN, 'this endpoint is for device bridges (a bridge token)');
  return { bridgeId: principal.bridgeId, orgId };
}

export function createBridgeFleetRouter(deps: AuthDeps & { driver: DeploymentDriver; poke: (orgId: string) => void }): Router {
  const { db, driver } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  /** Rollouts move on as results arrive (not on a timer): auto-pause happens before any further lease. */
  const evaluate = async (orgId: string, deploymentIds: Iterable<string>) => {
    for (const depId of new Set(deploymentIds)) await driver.evaluate(orgId, depId);
  };

  router.post('/api/bridge/fleet/enroll', auth, async (req, res) => {
    const bridge = bridgeOf(req);
    const body = parseBody(enrollSchema, req.body);
    try {
      const enrolled = await enrollAgent(db, bridge, body);
      await audit(db, {
        actorLabel: `bridge:${bridge.bridgeId}`,
        orgId: bridge.orgId,
        action: 'agent.enrolled',
        target: `devices:${enrolled.deviceId}`,
        details: { hostname: body.hostname, enrollment: enrolled.secretId },
        ip: req.ip ?? null,
      });
      res.status(201).json({ deviceId: enrolled.deviceId, orgId: enrolled.orgId, credential: enrolled.credential });
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.INVALID_CREDENTIALS) {
        await audit(db, {
          actorLabel: `bridge:${bridge.bridgeId}`,
          orgId: bridge.orgId,
          action: 'agent.enroll_refused',
          details: { hostname: body.hostname },
          ip: req.ip ?? null,
        });
      }
      throw err;
    }
  });

  router.get('/api/bridge/fleet/agents', auth, async (req, res) => {
    res.json({ agents: await bridgeAgents(db, bridgeOf(req)) });
  });

  router.post('/api/bridge/fleet/heartbeats', auth, async (req, res) => {
    const { beats } = parseBody(heartbeatsSchema, req.body);
    res.json({ recorded: await recordHeartbeats(db, bridgeOf(req), beats) });
  });

  router.post('/api/bridge/fleet/inventory', auth, async (req, res) => {
    const body = parseBody(inventorySchema, req.body);
    res.json(await applyInventory(db, bridgeOf(req), body.deviceId, body.delta));
  });

  router.post('/api/bridge/fleet/lease', auth, async (req, res) => {
    const bridge = bridgeOf(req);
    const body = parseBody(leaseSchema, req.body);
    const { work, touched } = await leaseFor(db, bridge, body.deviceId, body.graceSeconds);
    await evaluate(bridge.orgId, touched);
    res.json({ work });
  });

  router.post('/api/bridge/fleet/events', auth, async (req, res) => {
    const bridge = bridgeOf(req);
    const body = parseBody(eventsSchema, req.body);
    const outcomes = [];
    const touched = new Set<string>();
    for (const event of body.events as AgentEvent[]) {
      try {
        const r = await ingestEvent(db, bridge, event, body.via, body.graceSeconds);
        if (r.changed && r.deploymentId) touched.add(r.deploymentId);
        outcomes.push({ outcome: r.outcome });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        outcomes.push({ outcome: 'stale', error: err.code });
      }
    }
    await evaluate(bridge.orgId, touched);
    res.json({ outcomes });
  });

  router.get('/api/bridge/fleet/work', auth, async (req, res) => {
    const bridge = bridgeOf(req);
    deps.poke(bridge.orgId);
    const { items, touched } = await prefetchWork(db, bridge);
    await evaluate(bridge.orgId, touched);
    res.json({ items, at: new Date().toISOString() });
  });

  return router;
}
