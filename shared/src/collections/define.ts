/**
 * One definition per replicated collection: the zod shape is the single source; the RxDB
 * JSON schema is derived from it, the server validates pushes with it, and the write rule
 * (docs/SPEC.md S-P rules) decides per document.
 */
import { z } from 'zod';
import type { Principal, ResourceKind } from '../capabilities.js';
import { can } from '../capabilities.js';
import { ErrorCode } from '../errors.js';

/** Fields the server stamps on every accepted write. Clients can never set or change them. */
export const BASE_SERVER_OWNED = ['createdBy', 'createdAt', 'updatedBy', 'updatedAt'] as const;

/** Fields that every replicated document carries. */
export const baseFields = {
  id: z.string().min(1).max(64),
  orgId: z.string().min(1).max(64),
  /** Field-level HLC timestamps, written by the replica that changed the field (ADR 002). */
  clock: z.record(z.string().max(64), z.string().max(80)),
  createdBy: z.string().max(64).optional(),
  createdAt: z.string().max(40).optional(),
  updatedBy: z.string().max(64).optional(),
  updatedAt: z.string().max(40).optional(),
};

/** Fields that are neither domain data nor subject to field-level merge. */
export const META_FIELDS = new Set(['id', 'orgId', 'clock', '_deleted', ...BASE_SERVER_OWNED]);

export type WriteOutcome = { ok: true } | { ok: false; code: ErrorCode; message: string };

export interface BaseDoc {
  id: string;
  orgId: string;
  clock: Record<string, string>;
  createdBy?: string;
  createdAt?: string;
  updatedBy?: string;
  updatedAt?: string;
}

export interface WriteContext<T> {
  principal: Principal;
  /** The server already established that the principal may read `previous` (e.g. a shared printer). */
  previousReadable?: boolean;
  /** The stored document, or undefined for a create. */
  previous: (T & { _deleted?: boolean }) | undefined;
  next: T & { _deleted?: boolean };
}

export interface CollectionDefinition<S extends z.ZodObject = z.ZodObject> {
  name: ResourceKind;
  schemaVersion: number;
  zod: S;
  serverOwned: readonly string[];
  /** Collection-specific checks after the common org/authorship/capability rules. */
  rule?: (ctx: WriteContext<z.infer<S>>) => WriteOutcome;
  rxSchema: Record<string, unknown>;
}

const OK: WriteOutcome = { ok: true };
export const reject = (code: ErrorCode, message: string): WriteOutcome => ({ ok: false, code, message });

/**
 * Derives an RxDB JSON schema from the zod shape. RxDB needs `primaryKey`, a bounded
 * primary key, and no `$schema` key.
 */
function toRxSchema(name: string, version: number, shape: z.ZodObject): Record<string, unknown> {
  const json = z.toJSONSchema(shape, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  return {
    title: name,
    version,
    primaryKey: 'id',
    type: 'object',
    properties: json.properties,
    required: json.required,
    additionalProperties: false,
  };
}

export function defineCollection<S extends z.ZodObject>(def: {
  name: ResourceKind;
  schemaVersion: number;
  zod: S;
  extraServerOwned?: readonly string[];
  rule?: (ctx: WriteContext<z.infer<S>>) => WriteOutcome;
}): CollectionDefinition<S> {
  return {
    name: def.name,
    schemaVersion: def.schemaVersion,
    zod: def.zod,
    serverOwned: [...BASE_SERVER_OWNED, ...(def.extraServerOwned ?? [])],
    rule: def.rule,
    rxSchema: toRxSchema(def.name, def.schemaVersion, def.zod),
  };
}

/**
 * The common write rule (SPEC S-P3..S-P7): capability in the target org, no org moves,
 * authorship checks through `can`, then the collection's own rule.
 */
export function authorizeWrite<S extends z.ZodObject>(def: CollectionDefinition<S>, ctx: WriteContext<z.infer<S>>): WriteOutcome {
  const { principal, previous, next } = ctx as unknown as WriteContext<BaseDoc>;
  const kind = def.name;
  const targetOrg = previous?.orgId ?? next.orgId;
  if (principal.suspendedOrgs?.includes(targetOrg)) {
    return reject(ErrorCode.ORG_SUSPENDED, 'this organization is suspended: it is read-only until reactivated');
  }
  if (!previous) {
    if (!can(principal, `${kind}.create`, { orgId: next.orgId, createdBy: null })) {
      return reject(ErrorCode.ORG_FORBIDDEN, `you may not create ${kind} in organization ${next.orgId}`);
    }
  } else {
    const prevRef = { orgId: previous.orgId, createdBy: previous.createdBy ?? null };
    if (!ctx.previousReadable && !can(principal, `${kind}.read`, prevRef)) {
      return reject(ErrorCode.ORG_FORBIDDEN, `document ${next.id} belongs to an organization you cannot access`);
    }
    if (next.orgId !== previous.orgId) {
      return reject(ErrorCode.ORG_CHANGE_FORBIDDEN, 'a document cannot be moved to another organization by a push');
    }
    const op = next._deleted && !previous._deleted ? 'delete' : 'update';
    if (!can(principal, `${kind}.${op}`, prevRef)) {
      return reject(ErrorCode.WRITE_FORBIDDEN, `your role does not allow ${op} on this ${kind.slice(0, -1)}`);
    }
  }
  return def.rule ? def.rule(ctx) : OK;
}
