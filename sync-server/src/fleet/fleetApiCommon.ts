/** Shared pieces of the fleet API routers (see fleetApiRouter.ts). */
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { can, ErrorCode, type Capability, type CollectionName, type Principal } from '@fleetsync/shared';
import { authOf } from '../auth/middleware.js';
import type { Db } from '../db/pool.js';
import { withScope } from '../db/scope.js';
import { AppError } from '../http/errors.js';
import { dbScopeFor } from '../sync/readScope.js';
import { getDoc, type FleetDoc } from './fleetDocs.js';
import type { DeploymentDriver } from './rolloutService.js';

export const orgQuery = z.object({ orgId: z.string().uuid() });

export function need(principal: Principal, cap: Capability, orgId: string): void {
  if (!can(principal, cap, { orgId })) throw new AppError(ErrorCode.FORBIDDEN, `you need ${cap} in this organization`);
}

export const orgScope = (orgId: string) => ({ all: false, orgIds: [orgId] });

export type Readable = (req: Request, kind: CollectionName, id: string) => Promise<FleetDoc>;

/** What every area router of the fleet API shares. */
export interface FleetApiContext {
  db: Db;
  driver: DeploymentDriver;
  auth: RequestHandler;
  readable: Readable;
}

export function makeReadable(db: Db): Readable {
  /** A document the principal may read (else 404, the same as missing). */
  async function readable(req: Request, kind: CollectionName, id: string): Promise<FleetDoc> {
    const { principal } = authOf(req);
    const doc = await withScope(db, dbScopeFor(principal, kind), (c) => getDoc(c, kind, id));
    if (
      !doc ||
      doc.deleted ||
      !can(principal, `${kind}.read`, { orgId: doc.orgId, createdBy: (doc.data.createdBy as string | undefined) ?? null })
    ) {
      throw new AppError(ErrorCode.NOT_FOUND, `no ${kind} document ${id}`);
    }
    return doc;
  }
  return readable;
}
