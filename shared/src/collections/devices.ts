/**
 * Endpoint devices (kind 'agent'): created by enrollment (or pre-registered by an admin),
 * kept current by their agent through the bridge. People edit the name, tags and custom
 * fields; inventory, group membership and liveness are the server's. Agent credentials live
 * in a server table, never in this document (ARCHITECTURE §3: secrets never replicate).
 */
import { z } from 'zod';
import { ErrorCode } from '../errors.js';
import { inventorySchema } from '../fleet/inventory.js';
import { baseFields, defineCollection, reject } from './define.js';

export const DEVICE_KINDS = ['agent'] as const;
/** A device counts as online when it was seen this recently (heartbeats come every 30 s). */
export const DEVICE_ONLINE_SECONDS = 120;

const customValue = z.union([z.string().max(500), z.number(), z.boolean()]);

export const deviceSchema = z
  .object({
    ...baseFields,
    kind: z.enum(DEVICE_KINDS),
    name: z.string().min(1).max(120),
    tags: z.array(z.string().min(1).max(40)).max(50),
    customFields: z.record(z.string().min(1).max(40), customValue),
    notes: z.string().max(2000).optional(),
    // --- server-owned ---
    bridgeId: z.string().max(64).optional(),
    agentVersion: z.string().max(40).optional(),
    enrolledAt: z.string().max(40).optional(),
    lastSeenAt: z.string().max(40).optional(),
    inventory: inventorySchema.optional(),
    inventoryHash: z.string().max(32).optional(),
    inventoryAt: z.string().max(40).optional(),
    /** Groups (static, dynamic and predefined) the device belonged to at the last evaluation. */
    groupIds: z.array(z.string().max(64)).max(500).optional(),
  })
  .strict();
export type Device = z.infer<typeof deviceSchema>;

export const DEVICE_SERVER_OWNED = [
  'bridgeId',
  'agentVersion',
  'enrolledAt',
  'lastSeenAt',
  'inventory',
  'inventoryHash',
  'inventoryAt',
  'groupIds',
] as const;

export const devices = defineCollection({
  name: 'devices',
  schemaVersion: 0,
  zod: deviceSchema,
  extraServerOwned: DEVICE_SERVER_OWNED,
  rule: ({ next }) => {
    if (Object.keys(next.customFields).length > 50)
      return reject(ErrorCode.DOCUMENT_INVALID, 'a device has at most 50 custom fields');
    return { ok: true };
  },
});
